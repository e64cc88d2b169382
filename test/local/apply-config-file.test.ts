import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SSMClient } from '@aws-sdk/client-ssm';
import { eventCatalogue } from '../../lambda/core/inbound/events';
import { applyConfigFile } from '../../local/apply-config-file';
import { startParameterStoreServer } from '../../local/parameter-store-server';
import type { ParameterStoreServer } from '../../local/parameter-store-server';

let server: ParameterStoreServer;
let ssm: SSMClient;
let dir: string;

beforeAll(async () => {
  server = await startParameterStoreServer({ port: 0 });
  ssm = new SSMClient({ endpoint: server.endpoint, region: 'us-east-1', maxAttempts: 1, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  dir = await mkdtemp(join(tmpdir(), 'webhooks-start-config-'));
});

afterAll(async () => {
  ssm.destroy();
  await server.close();
});

describe('applyConfigFile at npm start', () => {
  it('checks the file against the event types the local function accepts', async () => {
    // Prepare
    const file = join(dir, 'webhooks.yaml');
    await writeFile(file, '- name: models\n  url: http://127.0.0.1:4567/models\n  events: ["models.registered"]\n');

    // Act
    const accepted = await applyConfigFile({ ssm, path: '/start/accepted', file, env: {}, catalogue: eventCatalogue(['models.registered']) });
    const refused = applyConfigFile({ ssm, path: '/start/refused', file, env: {}, catalogue: eventCatalogue() });

    // Assess
    expect(accepted[0]).toBe(`config: applied ${file}: 1 created, 0 updated, 0 unchanged`);
    await expect(refused).rejects.toThrow(`${file}:1: subscription "models": events[0] "models.registered" matches no event`);
  });
});
