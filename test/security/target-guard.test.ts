import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { TargetRefusedError, TargetResolutionError } from '../../lambda/adapters/errors';
import { checkedLookup, createHttpSender } from '../../lambda/adapters/http-sender';
import { createTargetGuard } from '../../lambda/adapters/target-guard';
import type { ResolvedAddress, Resolver } from '../../lambda/adapters/target-guard';
import { classify } from '../../lambda/core/delivery/outcome';
import type { DeliveryRequest } from '../../lambda/core/ports';
import { fakeResolver } from './support/fake-resolver';
import { installLoopbackTripwire } from './support/loopback-tripwire';

let tripwire: ReturnType<typeof installLoopbackTripwire>;

beforeAll(() => {
  tripwire = installLoopbackTripwire();
});

afterAll(() => tripwire.uninstall());

afterEach(() => {
  expect(tripwire.violations).toEqual([]);
});

/** A listener on one loopback address and port that records the requests it gets. */
async function listen(host: string, port = 0): Promise<{ port: number; requests: string[]; close(): Promise<void> }> {
  const requests: string[] = [];
  const server = http.createServer((req, res) => {
    requests.push(`${req.headers.host ?? ''}${req.url ?? ''}`);
    req.resume().on('end', () => res.writeHead(200).end());
  });
  await new Promise<void>((resolve) => server.listen(port, host, resolve));
  return {
    port: (server.address() as AddressInfo).port,
    requests,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())).then(() => server.closeAllConnections()),
  };
}

/** A resolver whose answers change from call to call, as a rebinding attacker's TTL-0 DNS does. */
function rebindingResolver(...answers: string[][]): Resolver & { calls: number } {
  const resolve = async (): Promise<ResolvedAddress[]> => {
    const answer = answers[Math.min(resolve.calls, answers.length - 1)] ?? [];
    resolve.calls++;
    return answer.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
  };
  resolve.calls = 0;
  return resolve;
}

function post(url: string): DeliveryRequest {
  return { url, headers: { 'content-type': 'application/json' }, body: '{}', timeoutMs: 2000 };
}

describe('createTargetGuard().check', () => {
  it('returns the parsed URL and every checked address, in resolution order', async () => {
    // Prepare
    const guard = createTargetGuard({ resolve: fakeResolver({ 'hooks.example.test': ['93.184.215.14', '2606:4700::6810:84e5'] }) });

    // Act
    const verdict = await guard.check('https://hooks.example.test/platform?x=1');

    // Assess
    expect(verdict).toEqual({
      allowed: true,
      url: new URL('https://hooks.example.test/platform?x=1'),
      addresses: [
        { address: '93.184.215.14', family: 4 },
        { address: '2606:4700::6810:84e5', family: 6 },
      ],
    });
  });

  it('never resolves an IP literal', async () => {
    // Prepare
    const resolve = fakeResolver({});
    const guard = createTargetGuard({ resolve });

    // Act
    const verdict = await guard.check('http://[2606:4700::1111]:8443/');

    // Assess
    expect(verdict).toMatchObject({ allowed: true, addresses: [{ address: '2606:4700::1111', family: 6 }] });
    expect(resolve.asked).toEqual([]);
  });

  it('rejects with a TargetResolutionError carrying the DNS code when a name does not resolve', async () => {
    // Prepare
    const guard = createTargetGuard({ resolve: fakeResolver({}) });

    // Act
    const check = guard.check('https://nowhere.example.test/');

    // Assess
    await expect(check).rejects.toThrow(TargetResolutionError);
    await expect(check).rejects.toMatchObject({ code: 'ENOTFOUND', hostname: 'nowhere.example.test' });
  });

  it('treats an empty answer as a name that does not resolve', async () => {
    // Prepare
    const guard = createTargetGuard({ resolve: async () => [] });

    // Act
    const check = guard.check('https://empty.example.test/');

    // Assess
    await expect(check).rejects.toMatchObject({ name: 'TargetResolutionError', code: 'ENOTFOUND' });
  });

  it('keeps a zone id the resolver gives for a link-local address it allows', async () => {
    // Prepare
    const guard = createTargetGuard({ allowPrivateTargets: true, resolve: fakeResolver({ 'printer.local': ['fe80::1%eth0'] }) });

    // Act
    const verdict = await guard.check('http://printer.local/');

    // Assess
    expect(verdict).toMatchObject({ allowed: true, addresses: [{ address: 'fe80::1%eth0', family: 6 }] });
  });

  it('never repeats credentials from the URL in its refusal', async () => {
    // Prepare
    const guard = createTargetGuard();

    // Act
    const verdict = await guard.check('https://admin:hunter2-secret@hooks.example.test/');

    // Assess
    expect(verdict).toMatchObject({ allowed: false, rule: 'credentials-in-url' });
    expect(JSON.stringify(verdict)).not.toMatch(/hunter2|admin/);
  });

  it('throws a RangeError naming an allowed CIDR that is not a block', () => {
    // Act
    const create = () => createTargetGuard({ allowedCidrs: ['10.0.0.0/8', '10.0.0.1/8'] });

    // Assess
    expect(create).toThrow(new RangeError('"10.0.0.1/8" has host bits set after the /8 prefix; did you mean 10.0.0.0/8?'));
  });
});

describe('checkedLookup: the lookup of the HTTP sender\'s connections', () => {
  function lookup(checked: ReadonlyMap<string, readonly ResolvedAddress[]>, hostname: string, options: object) {
    return new Promise<{ error: NodeJS.ErrnoException | null; address: unknown; family?: number }>((resolve) =>
      checkedLookup(checked)(hostname, options, (error, address, family) => resolve({ error, address, family })),
    );
  }

  async function checkedBy(guard: ReturnType<typeof createTargetGuard>, hostname: string): Promise<Map<string, readonly ResolvedAddress[]>> {
    const verdict = await guard.check(`https://${hostname}/hook`);
    if (!verdict.allowed) throw new Error(verdict.message);
    return new Map([[hostname, verdict.addresses]]);
  }

  it('answers with every address the guard checked when asked for all', async () => {
    // Prepare
    const guard = createTargetGuard({ resolve: fakeResolver({ 'dual.example.test': ['93.184.215.14', '2606:4700::1'] }) });
    const checked = await checkedBy(guard, 'dual.example.test');

    // Act
    const answer = await lookup(checked, 'dual.example.test', { all: true });

    // Assess
    expect(answer).toEqual({ error: null, address: [{ address: '93.184.215.14', family: 4 }, { address: '2606:4700::1', family: 6 }], family: undefined });
  });

  it('answers with the first checked address of the requested family', async () => {
    // Prepare
    const guard = createTargetGuard({ resolve: fakeResolver({ 'dual.example.test': ['93.184.215.14', '2606:4700::1'] }) });
    const checked = await checkedBy(guard, 'dual.example.test');

    // Act
    const answer = await lookup(checked, 'dual.example.test', { family: 6 });

    // Assess
    expect(answer).toEqual({ error: null, address: '2606:4700::1', family: 6 });
  });

  it('fails with a TargetRefusedError for a host the guard did not check, never resolving it', async () => {
    // Act
    const { error } = await lookup(new Map(), 'unchecked.example.test', {});

    // Assess
    expect(error).toBeInstanceOf(TargetRefusedError);
    expect(error).toMatchObject({ code: 'ETARGETREFUSED', rule: 'unchecked-host', message: 'unchecked.example.test was not checked by the target guard before connecting' });
  });
});

describe('the HTTP sender behind the guard: DNS rebinding', () => {
  // 127.0.0.1 stands in for the public address (opened by ALLOWED_TARGET_CIDRS); 127.0.0.2 for the private one.
  let allowed: Awaited<ReturnType<typeof listen>>;
  let forbidden: Awaited<ReturnType<typeof listen>>;

  beforeAll(async () => {
    allowed = await listen('127.0.0.1');
    forbidden = await listen('127.0.0.2', allowed.port);
  });

  afterAll(async () => {
    await allowed.close();
    await forbidden.close();
  });

  it('connects to the address it checked, resolving once: a second answer cannot redirect the connection', async () => {
    // Prepare: the first answer is allowed, every later one private.
    const resolve = rebindingResolver(['127.0.0.1'], ['127.0.0.2']);
    const sender = createHttpSender({ maxSockets: 1, guard: createTargetGuard({ allowedCidrs: ['127.0.0.1/32'], resolve }) });

    // Act
    const result = await sender.send(post(`http://rebind.example.test:${allowed.port}/first`));
    sender.close();

    // Assess
    expect(result).toEqual({ kind: 'response', status: 200 });
    expect(resolve.calls).toBe(1);
    expect(allowed.requests).toEqual([`rebind.example.test:${allowed.port}/first`]);
    expect(forbidden.requests).toEqual([]);
  });

  it('refuses the next attempt once the name resolves to a private address, permanently and without connecting', async () => {
    // Prepare
    const resolve = rebindingResolver(['127.0.0.1'], ['127.0.0.2']);
    const sender = createHttpSender({ maxSockets: 1, guard: createTargetGuard({ allowedCidrs: ['127.0.0.1/32'], resolve }) });
    await sender.send(post(`http://rebind.example.test:${allowed.port}/before`));

    // Act
    const result = await sender.send(post(`http://rebind.example.test:${allowed.port}/after`));
    sender.close();

    // Assess
    expect(result).toEqual({
      kind: 'refused',
      rule: 'loopback 127.0.0.0/8',
      message: 'rebind.example.test resolves to 127.0.0.2, which is loopback (rule: loopback 127.0.0.0/8)',
    });
    expect(classify(result)).toEqual({ kind: 'permanent', error: `refused: ${result.kind === 'refused' ? result.message : ''}`, disableSubscription: false });
    expect(forbidden.requests).toEqual([]);
    expect(allowed.requests).not.toContainEqual(expect.stringContaining('/after'));
  });

  it('reports a name that does not resolve as a retryable DNS error, not a refusal', async () => {
    // Prepare
    const sender = createHttpSender({ maxSockets: 1, guard: createTargetGuard({ resolve: fakeResolver({}) }) });

    // Act
    const result = await sender.send(post('https://gone.example.test/'));
    sender.close();

    // Assess
    expect(result).toEqual({ kind: 'network-error', code: 'ENOTFOUND', message: 'could not resolve gone.example.test (ENOTFOUND)' });
    expect(classify(result).kind).toBe('retryable');
  });

  it('counts a resolver that never answers against the attempt timeout', async () => {
    // Prepare
    const sender = createHttpSender({ maxSockets: 1, guard: createTargetGuard({ resolve: () => new Promise(() => undefined) }) });
    const started = Date.now();

    // Act
    const result = await sender.send({ ...post('https://slow-dns.example.test/'), timeoutMs: 300 });
    sender.close();

    // Assess
    expect(result).toEqual({ kind: 'network-error', code: 'ETIMEDOUT', message: 'no response within 300 ms' });
    expect(Date.now() - started).toBeLessThan(1500);
  });

  it('without a guard option, still refuses the metadata service and credentials in URLs', async () => {
    // Prepare
    const sender = createHttpSender({ maxSockets: 1 });

    // Act
    const metadata = await sender.send(post('http://169.254.169.254/latest/meta-data/'));
    const credentials = await sender.send(post(`http://u:p@127.0.0.1:${allowed.port}/`));
    sender.close();

    // Assess
    expect(metadata).toMatchObject({ kind: 'refused', rule: 'instance-metadata 169.254.169.254/32' });
    expect(credentials).toMatchObject({ kind: 'refused', rule: 'credentials-in-url' });
  });
});
