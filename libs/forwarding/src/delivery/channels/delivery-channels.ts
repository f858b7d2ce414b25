import type { DeliveryChannel } from '../delivery.records';
import type { DeliveryChannelSender } from './channel';

/** The sender of each channel. */
export class DeliveryChannels {
  constructor(private readonly senders: Record<DeliveryChannel, DeliveryChannelSender>) {}

  of(channel: DeliveryChannel): DeliveryChannelSender {
    return this.senders[channel];
  }

  async close(): Promise<void> {
    await Promise.all(Object.values(this.senders).map((s) => s.close?.()));
  }
}
