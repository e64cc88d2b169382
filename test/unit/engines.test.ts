/**
 * Every package npm installs accepts the oldest Node.js the project supports (package.json
 * `engines`), so `npm install` warns of no EBADENGINE there. It is not only a warning: cookie 2,
 * which fastify's light-my-request (under fauxqs) wants, is an ES module that Node.js 20.18 cannot
 * `require`, so the local stack would not start; package.json `overrides` pins cookie 1.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { minVersion, satisfies } from 'semver';

const root = join(__dirname, '..', '..');
const read = (file: string): unknown => JSON.parse(readFileSync(join(root, file), 'utf8'));

describe('the Node.js versions of the installed packages', () => {
  it('all accept the oldest Node.js the project supports', () => {
    // Prepare
    const { engines } = read('package.json') as { engines: { node: string } };
    const oldest = minVersion(engines.node)?.version ?? '';
    const { packages } = read('package-lock.json') as { packages: Record<string, { version?: string; engines?: { node?: string } | string[] }> };

    // Act
    const refusing = Object.entries(packages)
      .filter(([path, entry]) => path !== '' && !Array.isArray(entry.engines) && entry.engines?.node !== undefined && !satisfies(oldest, entry.engines.node))
      .map(([path, entry]) => `${path.replace(/^.*node_modules\//, '')}@${entry.version} wants node ${(entry.engines as { node: string }).node}`);

    // Assess
    expect(oldest).toMatch(/^20\.18\./);
    expect(refusing).toEqual([]);
  });
});
