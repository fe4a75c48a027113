import { grown } from './typed-arrays';

/**
 * @internal The messages on the wire, one slot each, stored as columns of typed arrays. The clock
 * queues a delivery as a slot number, so a message in flight costs no object: the `Message` a
 * handler receives is built when it arrives, and dies young. Slots are reused once delivered.
 */
export class InFlight {
  ids = new Float64Array(1024);
  senders = new Uint32Array(1024);
  receivers = new Uint32Array(1024);
  sentAts = new Float64Array(1024);
  copies = new Uint8Array(1024);
  readonly payloads: unknown[] = [];
  private free = new Uint32Array(1024);
  private freeCount = 0;
  private used = 0;

  /** Stores a message and returns its slot. */
  add(id: number, sender: number, receiver: number, payload: unknown, sentAt: number, copy: boolean): number {
    let slot: number;
    if (this.freeCount > 0) {
      slot = this.free[--this.freeCount];
    } else {
      if (this.used === this.ids.length) this.grow();
      slot = this.used++;
    }
    this.ids[slot] = id;
    this.senders[slot] = sender;
    this.receivers[slot] = receiver;
    this.payloads[slot] = payload;
    this.sentAts[slot] = sentAt;
    this.copies[slot] = copy ? 1 : 0;
    return slot;
  }

  /** Frees a slot (after reading it): its payload is no longer kept alive. */
  release(slot: number): void {
    this.payloads[slot] = undefined;
    this.free[this.freeCount++] = slot;
  }

  private grow(): void {
    const size = this.ids.length * 2;
    this.ids = grown(this.ids, size);
    this.senders = grown(this.senders, size);
    this.receivers = grown(this.receivers, size);
    this.sentAts = grown(this.sentAts, size);
    this.copies = grown(this.copies, size);
    this.free = grown(this.free, size);
  }
}
