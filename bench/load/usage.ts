import { monitorEventLoopDelay } from 'node:perf_hooks';
import { wallNow, type Usage } from './messages.ts';

const loopDelay = monitorEventLoopDelay({ resolution: 5 });
loopDelay.enable();

/** This process's CPU, RSS and event-loop delay since the last reading (for generators and servers under test). */
export function processUsage(): Usage {
  const cpu = process.cpuUsage();
  const loopDelayP99Ms = Math.round((loopDelay.percentile(99) / 1e6) * 10) / 10;
  loopDelay.reset();
  return { cpuMicros: cpu.user + cpu.system, rssBytes: process.memoryUsage().rss, at: wallNow(), loopDelayP99Ms };
}
