import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';

describe('client-sdk bundle', () => {
  it('bundles for browsers as an ES module with no Node built-ins', async () => {
    const result = await build({
      entryPoints: ['client-sdk/src/index.ts', 'node_modules/rxdb/dist/esm/plugins/storage-dexie/index.js'],
      bundle: true,
      platform: 'browser',
      format: 'esm',
      write: false,
      outdir: 'out',
      logLevel: 'silent',
      metafile: true,
    });
    expect(result.errors).toEqual([]);
    const inputs = Object.keys(result.metafile.inputs);
    expect(inputs.filter((input) => input.startsWith('node:'))).toEqual([]);
    expect(result.outputFiles[0]!.text).toContain('createClient');
  });
});
