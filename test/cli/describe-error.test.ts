import { describeError } from '../../cli/describe-error';
import { CliError } from '../../cli/errors';

describe('describeError', () => {
  it('masks a value an AWS error quotes back, as every output is masked', () => {
    // Prepare
    const secret = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
    const error = Object.assign(new Error(`1 validation error detected: Value '{"url":"https://a.example.com","secret":"${secret}"}' at 'value' failed to satisfy constraint`), { name: 'ValidationException' });

    // Act
    const lines = describeError(error);

    // Assess
    expect(lines).toEqual([expect.stringMatching(/^ValidationException: 1 validation error detected: Value '\{"url":"https:\/\/a\.example\.com\/?","secret":"whsec_…LaSw"\}' at 'value'/)]);
  });

  it('keeps the CLI\'s own lines as written', () => {
    // Act
    const lines = describeError(new CliError(['message 5fa8c0c4-1b6e-4a8e-9c39-2d1f0e6b7a11: could not send it']));

    // Assess
    expect(lines).toEqual(['message 5fa8c0c4-1b6e-4a8e-9c39-2d1f0e6b7a11: could not send it']);
  });
});
