import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A throwaway CA and a server certificate it signed, in a temp directory. */
export interface TlsFixtures {
  /** Path of the CA certificate (PEM), for NODE_EXTRA_CA_CERTS. */
  readonly caPath: string;
  /** Server certificate (PEM) for `names` and 127.0.0.1, and its key. */
  readonly cert: Buffer;
  readonly key: Buffer;
  remove(): void;
}

/** Generates the CA and a server certificate valid for the DNS `names` and IP 127.0.0.1, with openssl (P-256 keys, one day). */
export function createTlsFixtures(names: readonly string[]): TlsFixtures {
  const dir = mkdtempSync(join(tmpdir(), 'platform-webhooks-tls-'));
  const at = (file: string) => join(dir, file);
  const openssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  openssl('req', '-x509', ...ec, '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '1', '-subj', '/CN=platform-webhooks test CA',
    '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign');
  openssl('req', ...ec, '-keyout', 'server.key', '-out', 'server.csr', '-subj', `/CN=${names[0] ?? 'localhost'}`);
  const altNames = [...names.map((name) => `DNS:${name}`), 'IP:127.0.0.1'].join(',');
  writeFileSync(at('server.ext'), `subjectAltName=${altNames}\nbasicConstraints=CA:FALSE\nkeyUsage=digitalSignature\nextendedKeyUsage=serverAuth\n`);
  openssl('x509', '-req', '-in', 'server.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'server.pem', '-days', '1', '-extfile', 'server.ext');
  return {
    caPath: at('ca.pem'),
    cert: readFileSync(at('server.pem')),
    key: readFileSync(at('server.key')),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}
