import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { ParameterDataFileError } from '../../local/errors';
import { DATA_FILE_FORMAT, ParameterDataFile } from '../../local/parameter-data-file';
import type { StoredParameter } from '../../local/stored-parameter';

function stored(name: string, overrides: Partial<StoredParameter> = {}): StoredParameter {
  const lastModified = Date.parse('2026-11-27T10:00:00Z');
  return { name, type: 'String', value: `value of ${name}`, version: 1, lastModified, ...overrides };
}

describe('ParameterDataFile', () => {
  let directory: string;
  let path: string;

  beforeEach(async () => {
    directory = await mkdtemp(join(tmpdir(), 'parameter-data-file-'));
    path = join(directory, 'ssm.json');
  });

  afterEach(async () => {
    await rm(directory, { recursive: true, force: true });
  });

  it('loads a missing file as an empty store', async () => {
    // Act
    const loaded = await new ParameterDataFile(path).load();

    // Assess
    expect(loaded).toEqual([]);
  });

  it('saves and loads parameters unchanged, sorted by name, in a file only its owner can read', async () => {
    // Prepare
    const parameters = [stored('/b', { type: 'SecureString', description: 'secret' }), stored('/a', { version: 7 })];

    // Act
    await new ParameterDataFile(path).save(parameters);
    const loaded = await new ParameterDataFile(path).load();

    // Assess
    expect(loaded).toEqual([parameters[1], parameters[0]]);
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    expect(JSON.parse(await readFile(path, 'utf8'))).toMatchObject({ format: DATA_FILE_FORMAT });
  });

  it('lands concurrent saves in call order and leaves no temp file behind', async () => {
    // Prepare
    const file = new ParameterDataFile(path);
    const snapshots = Array.from({ length: 20 }, (_, index) => [stored(`/p/${index}`)]);

    // Act
    await Promise.all(snapshots.map((snapshot) => file.save(snapshot)));
    await file.flush();

    // Assess
    expect(await new ParameterDataFile(path).load()).toEqual([stored('/p/19')]);
    expect(await readdir(directory)).toEqual(['ssm.json']);
  });

  it('refuses a file that is not JSON rather than overwriting it', async () => {
    // Prepare
    await writeFile(path, '{ not json');

    // Act
    const load = new ParameterDataFile(path).load();

    // Assess
    await expect(load).rejects.toBeInstanceOf(ParameterDataFileError);
    await expect(load).rejects.toThrow('is not valid JSON; fix it or delete it to start empty');
    expect(await readFile(path, 'utf8')).toBe('{ not json');
  });

  it.each([
    ['another format', { format: 'other', parameters: [] }, `is not in the "${DATA_FILE_FORMAT}" format`],
    ['a malformed entry', { format: DATA_FILE_FORMAT, parameters: [{ name: '/a', type: 'Binary' }] }, '[0] is malformed'],
  ])('refuses %s', async (_case, content, message) => {
    // Prepare
    await writeFile(path, JSON.stringify(content));

    // Act
    const load = new ParameterDataFile(path).load();

    // Assess
    await expect(load).rejects.toThrow(message);
  });

  it('reports a failed save and removes its temp file', async () => {
    // Prepare: a directory where the file should be makes the final rename fail.
    await mkdir(path);
    const file = new ParameterDataFile(path);

    // Act
    const save = file.save([stored('/a')]);

    // Assess
    await expect(save).rejects.toThrow(`Cannot write the Parameter Store data file ${path}.`);
    expect(await readdir(directory)).toEqual(['ssm.json']);
  });
});
