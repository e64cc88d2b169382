import { Metrics } from '@aws-lambda-powertools/metrics';

import { metricsPerInvocation } from '../../lambda/adapters/invocation-metrics';
import { METRICS } from '../../lambda/core/ports';

/** The EMF lines Powertools Metrics writes while `act` runs (metrics enabled for it). */
function emfLines(act: (metrics: Metrics) => void): Array<Record<string, unknown>> {
  const written: string[] = [];
  const disabled = process.env.POWERTOOLS_METRICS_DISABLED;
  process.env.POWERTOOLS_METRICS_DISABLED = 'false';
  const spy = jest.spyOn(process.stdout, 'write').mockImplementation((chunk) => written.push(String(chunk)) > 0);
  try {
    act(new Metrics({ namespace: 'PlatformWebhooksTest', serviceName: 'platform-webhooks' }));
  } finally {
    spy.mockRestore();
    process.env.POWERTOOLS_METRICS_DISABLED = disabled;
  }
  return written.join('').trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
}

describe('metricsPerInvocation', () => {
  it('publishes each count once per invocation, summed, and every latency', () => {
    // Act
    const lines = emfLines((metrics) => {
      const invocation = metricsPerInvocation(metrics);
      for (let i = 0; i < 30; i++) {
        invocation.count(METRICS.delivered);
        invocation.latency(i);
      }
      invocation.count(METRICS.retried, 2);
      invocation.count(METRICS.retried);
      invocation.publish();
    });

    // Assess
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ Delivered: 30, Retried: 3, DeliveryLatency: Array.from({ length: 30 }, (_, i) => i) });
  });

  it('starts every invocation from zero', () => {
    // Act
    const lines = emfLines((metrics) => {
      const invocation = metricsPerInvocation(metrics);
      invocation.count(METRICS.delivered, 5);
      invocation.publish();
      invocation.count(METRICS.delivered);
      invocation.publish();
    });

    // Assess
    expect(lines.map((line) => line.Delivered)).toEqual([5, 1]);
  });
});
