import { SNSClient } from '@aws-sdk/client-sns';

/**
 * SNS clients per region, created on first use and kept for the process: a
 * topic is published to in its own region (the region in its ARN).
 */
export function cachedSnsClients(): (region: string) => SNSClient {
  const clients = new Map<string, SNSClient>();
  return (region) => {
    let client = clients.get(region);
    if (client === undefined) {
      client = new SNSClient({ region });
      clients.set(region, client);
    }
    return client;
  };
}
