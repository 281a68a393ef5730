/**
 * The gateway's bundled browser pages (dist/graphiql, dist/dashboard) for tests that serve them: built when
 * missing or older than their sources, so a test never runs against a stale page.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';

const gatewayDir = path.resolve(__dirname, '..', '..');

export type BundleName = 'graphiql' | 'dashboard';

/** The folder the bundle is built into (what the routes' default options find). */
export function bundleDir(name: BundleName): string {
  return path.join(gatewayDir, 'dist', name);
}

/** Builds the bundle when it is missing or older than its sources (its folder, its script and the shared build step). */
export function ensureBundle(name: BundleName): void {
  const manifestPath = path.join(bundleDir(name), 'manifest.json');
  const sourcesDir = path.join(gatewayDir, name);
  const script = path.join('scripts', `build-${name}.mjs`);
  const newestSource = Math.max(
    statSync(path.join(gatewayDir, script)).mtimeMs,
    statSync(path.join(gatewayDir, 'scripts', 'bundle.mjs')).mtimeMs,
    ...readdirSync(sourcesDir).map((file) => statSync(path.join(sourcesDir, file)).mtimeMs),
  );
  if (existsSync(manifestPath) && statSync(manifestPath).mtimeMs >= newestSource) return;
  execFileSync(process.execPath, [script], { cwd: gatewayDir, stdio: 'inherit' });
}
