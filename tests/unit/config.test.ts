import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../server/config.ts';

describe('configuration', () => {
  it('has defaults that run the quick start', () => {
    const c = loadConfig({});
    expect(c).toMatchObject({ port: 3000, host: '0.0.0.0', dataDir: path.resolve('data'), logLevel: 'info', trustProxy: 0, allowedOrigins: [] });
  });

  it('reads PORT, HOST, DATA_DIR and HUZHU_* variables', () => {
    const c = loadConfig({ PORT: '8080', HOST: '127.0.0.1', DATA_DIR: '/tmp/hz', HUZHU_TRUST_PROXY: 'true', HUZHU_ALLOWED_ORIGINS: 'https://a.example, https://b.example' });
    expect(c).toMatchObject({ port: 8080, host: '127.0.0.1', dataDir: '/tmp/hz', trustProxy: 1, allowedOrigins: ['https://a.example', 'https://b.example'] });
  });

  it('stops with a message naming each bad variable', () => {
    const load = () => loadConfig({ PORT: 'eighty', LOG_LEVEL: 'loud', HUZHU_ALLOWED_ORIGINS: 'not a url' });
    expect(load).toThrow(ConfigError);
    expect(load).toThrow(/PORT="eighty"/);
    expect(load).toThrow(/LOG_LEVEL="loud"/);
    expect(load).toThrow(/HUZHU_ALLOWED_ORIGINS/);
  });
});
