import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

import { CHROMIUM_PATH } from '../../support/chromium.ts';

export type Tool = 'chromium' | 'redis-server';

interface ToolInfo {
  find(): string | null;
  install: string;
  /** What gets skipped without it, for the warning. */
  skips: string;
}

function executable(path: string): string | null {
  try {
    accessSync(path, constants.X_OK);
    return path;
  } catch {
    return null;
  }
}

function onPath(name: string): string | null {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    const found = executable(join(dir, name));
    if (found) return found;
  }
  return null;
}

const TOOLS: Record<Tool, ToolInfo> = {
  chromium: { find: () => executable(CHROMIUM_PATH), install: 'apt-get install -y chromium', skips: 'e2e' },
  'redis-server': { find: () => onPath('redis-server'), install: 'apt-get install -y redis-server', skips: 'Redis tests' },
};

/**
 * Whether a system binary the suite needs is installed. In CI (CI=true) a missing tool is an error,
 * so a green run always means the suite ran; locally it warns loudly and returns false so the caller
 * can `describe.skipIf(!ok)`.
 */
export function requireTool(name: Tool): boolean {
  const tool = TOOLS[name];
  if (tool.find()) return true;
  const where = name === 'chromium' ? CHROMIUM_PATH : 'PATH';
  if (process.env.CI === 'true') {
    throw new Error(`${name} not found (${where}); CI needs it for the ${tool.skips}. Install with: ${tool.install}`);
  }
  console.warn(
    `\n!!!!! SKIPPING ${tool.skips}: ${name} not found (${where}) — install with: ${tool.install} !!!!!\n`,
  );
  return false;
}
