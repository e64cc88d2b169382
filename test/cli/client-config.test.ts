import { clientConfig, LOCAL_CREDENTIALS, LOCAL_REGION } from '../../cli/client-config';
import { UsageError } from '../../cli/errors';

describe('clientConfig', () => {
  it('passes only what the user set, leaving the rest to the SDK', () => {
    // Act
    const config = clientConfig({ region: 'eu-west-1', profile: 'ops' }, {});

    // Assess
    expect(config).toEqual({ region: 'eu-west-1', profile: 'ops' });
  });

  it('leaves AWS_ENDPOINT_URL to the SDK but gives the local stack a region and placeholder credentials', () => {
    // Act
    const config = clientConfig({}, { AWS_ENDPOINT_URL: 'http://127.0.0.1:4566' });

    // Assess
    expect(config).toEqual({ region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS });
  });

  it('passes --endpoint-url and keeps configured credentials and region against the local stack', () => {
    // Act
    const config = clientConfig({ endpointUrl: 'http://localhost:4566' }, { AWS_REGION: 'eu-central-1', AWS_ACCESS_KEY_ID: 'AKIA' });

    // Assess
    expect(config).toEqual({ endpoint: 'http://localhost:4566' });
  });

  it.each([
    [{ AWS_DEFAULT_REGION: 'eu-west-1' }, { region: 'eu-west-1' }],
    [{ AWS_DEFAULT_REGION: 'eu-west-1', AWS_ENDPOINT_URL: 'http://127.0.0.1:4566' }, { region: 'eu-west-1', credentials: LOCAL_CREDENTIALS }],
    [{ AWS_DEFAULT_REGION: 'eu-west-1', AWS_REGION: 'us-west-2' }, {}],
  ])('takes the AWS CLI\'s AWS_DEFAULT_REGION, which the SDK does not read, unless AWS_REGION is set (%j)', (env, expected) => {
    // Act
    const config = clientConfig({}, env);

    // Assess
    expect(config).toEqual(expected);
  });

  it('never invents credentials for a remote endpoint', () => {
    // Act
    const config = clientConfig({ endpointUrl: 'https://sqs.vpce.example.com' }, {});

    // Assess
    expect(config).toEqual({ endpoint: 'https://sqs.vpce.example.com' });
  });

  it.each([
    [{ endpointUrl: 'localhost:4566' }, {}, '--endpoint-url'],
    [{}, { AWS_ENDPOINT_URL: 'ftp://127.0.0.1:4566' }, 'AWS_ENDPOINT_URL'],
    [{}, { AWS_ENDPOINT_URL_SSM: '127.0.0.1' }, 'AWS_ENDPOINT_URL_SSM'],
  ])('refuses an endpoint that is not an http: or https: URL: %j %j', (options, env, source) => {
    // Act
    const configure = () => clientConfig(options, env);

    // Assess
    expect(configure).toThrow(UsageError);
    expect(configure).toThrow(new RegExp(`^${source} must be an absolute http: or https: URL`));
  });

  it('checks only the endpoint in effect: --endpoint-url over the environment', () => {
    // Act
    const config = clientConfig({ endpointUrl: 'http://127.0.0.1:4566' }, { AWS_ENDPOINT_URL: 'not a url' });

    // Assess
    expect(config.endpoint).toBe('http://127.0.0.1:4566');
  });
});
