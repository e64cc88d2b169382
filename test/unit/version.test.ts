import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { VERSION } from '../../lambda/version';

describe('VERSION', () => {
  it("equals package.json's version", () => {
    // Prepare
    const packageJson = JSON.parse(readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8')) as { version: string };

    // Act
    const version = VERSION;

    // Assess
    expect(version).toBe(packageJson.version);
  });
});
