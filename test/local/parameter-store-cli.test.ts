import { execFile } from 'node:child_process';
import { access, constants, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { startParameterStoreServer } from '../../local/parameter-store-server';
import type { ParameterStoreServer } from '../../local/parameter-store-server';

/**
 * Debian 12's AWS CLI 2.9, as `.ci/run` installs it (the path is absolute because another `aws` may
 * come first on PATH), against the stand-in: what a person types works, and mistakes fail as in AWS.
 */
const AWS_CLI = '/usr/bin/aws';
/** Each test runs several CLI processes (about a second each on an idle machine, more on a busy one). */
const TEST_TIMEOUT_MS = 300_000;

interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

describe("startParameterStoreServer with Debian's AWS CLI 2.9", () => {
  let server: ParameterStoreServer;
  let home: string;
  let aws: (...args: string[]) => Promise<Run>;

  /** The JSON an `aws ssm …` command prints, or the test fails with its stderr. */
  async function ssm(...args: string[]): Promise<any> {
    const result = await aws('ssm', ...args);
    if (result.code !== 0) throw new Error(`aws ssm ${args.join(' ')} exited ${result.code}: ${result.stderr}`);
    return result.stdout.trim() === '' ? {} : JSON.parse(result.stdout);
  }

  beforeAll(async () => {
    await access(AWS_CLI, constants.X_OK).catch((error: Error) => {
      throw new Error(`${AWS_CLI} is missing; install Debian's awscli as .ci/run does`, { cause: error });
    });
    server = await startParameterStoreServer();
    home = await mkdtemp(join(tmpdir(), 'parameter-store-cli-'));
    // Any credentials and region: the stand-in checks no signatures.
    const env = { PATH: process.env.PATH, HOME: home, AWS_ACCESS_KEY_ID: 'local', AWS_SECRET_ACCESS_KEY: 'local', AWS_DEFAULT_REGION: 'eu-west-1', AWS_PAGER: '' };
    aws = (...args) =>
      new Promise((resolve, reject) => {
        const argv = ['--endpoint-url', server.endpoint, '--output', 'json', ...args];
        execFile(AWS_CLI, argv, { env, timeout: 60_000 }, (error, stdout, stderr) => {
          if (error !== null && typeof error.code !== 'number') return reject(error);
          resolve({ code: error === null ? 0 : (error.code as number), stdout, stderr });
        });
      });
  });

  afterAll(async () => {
    await server.close();
    await rm(home, { recursive: true, force: true });
  });

  it(
    'puts, gets, lists, describes and deletes parameters',
    async () => {
      // Prepare
      await ssm('put-parameter', '--name', '/cli/plain', '--value', 'one', '--type', 'String');
      await ssm('put-parameter', '--name', '/cli/secret', '--value', 'whsec_c2VjcmV0', '--type', 'SecureString', '--description', 'signing');
      await ssm('put-parameter', '--name', '/cli/plain', '--value', 'two', '--overwrite');

      // Act
      const one = await ssm('get-parameter', '--name', '/cli/plain');
      const many = await ssm('get-parameters', '--names', '/cli/plain', '/cli/secret', '/cli/missing', '--with-decryption');
      const byPath = await ssm('get-parameters-by-path', '--path', '/cli', '--recursive');
      const described = await ssm('describe-parameters', '--parameter-filters', 'Key=Name,Values=/cli/secret');
      await ssm('delete-parameter', '--name', '/cli/plain');
      const deleted = await ssm('delete-parameters', '--names', '/cli/secret', '/cli/plain');

      // Assess
      expect(one.Parameter).toMatchObject({ Name: '/cli/plain', Value: 'two', Version: 2, Type: 'String' });
      expect(many.Parameters.map((parameter: any) => parameter.Value)).toEqual(['two', 'whsec_c2VjcmV0']);
      expect(many.InvalidParameters).toEqual(['/cli/missing']);
      expect(byPath.Parameters.map((parameter: any) => parameter.Name)).toEqual(['/cli/plain', '/cli/secret']);
      expect(JSON.stringify(byPath)).not.toContain('whsec_');
      expect(described.Parameters).toEqual([expect.objectContaining({ Name: '/cli/secret', KeyId: 'alias/aws/ssm', Tier: 'Standard', Description: 'signing' })]);
      expect(deleted).toEqual({ DeletedParameters: ['/cli/secret'], InvalidParameters: ['/cli/plain'] });
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'keeps tiers, tags and history, and fails where AWS would',
    async () => {
      // Prepare
      const large = 'v'.repeat(5000);
      await ssm('put-parameter', '--name', '/cli/big', '--value', large, '--type', 'String', '--tier', 'Advanced', '--tags', 'Key=team,Value=ml');
      await ssm('put-parameter', '--name', '/cli/big', '--value', 'small', '--overwrite');

      // Act
      const history = await ssm('get-parameter-history', '--name', '/cli/big');
      const first = await ssm('get-parameter', '--name', '/cli/big:1');
      const tags = await ssm('list-tags-for-resource', '--resource-type', 'Parameter', '--resource-id', '/cli/big');
      const standard = await aws('ssm', 'put-parameter', '--name', '/cli/other', '--value', large, '--type', 'String');
      const tagged = await aws('ssm', 'put-parameter', '--name', '/cli/big', '--value', 'x', '--overwrite', '--tags', 'Key=a,Value=b');
      const pattern = await aws('ssm', 'put-parameter', '--name', '/cli/port', '--value', 'whsec_port', '--type', 'String', '--allowed-pattern', '^\\d+$');

      // Assess
      expect(history.Parameters.map((version: any) => [version.Version, version.Tier])).toEqual([[1, 'Advanced'], [2, 'Advanced']]);
      expect(first.Parameter).toMatchObject({ Value: large, Selector: ':1' });
      expect(tags.TagList).toEqual([{ Key: 'team', Value: 'ml' }]);
      expect(standard).toMatchObject({ code: 254, stderr: expect.stringContaining('(ValidationException)') });
      expect(standard.stderr).toContain('set Tier to Advanced for up to 8192');
      expect(tagged.stderr).toContain('Tags and Overwrite cannot be used together');
      expect(pattern.stderr).toContain('(ParameterPatternMismatchException)');
      expect(pattern.stderr).not.toContain('whsec_');
    },
    TEST_TIMEOUT_MS,
  );
});
