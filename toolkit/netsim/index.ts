/**
 * netsim: a deterministic, unreliable network in virtual time.
 *
 * The workbook's instrument for watching message passing go wrong on purpose: lose, duplicate,
 * delay and reorder messages, partition the network, crash nodes, and replay any run exactly from
 * its seed.
 *
 * @module
 */
export { Network, Endpoint, type Message, type MessageHandler, type NetworkOptions, type NetworkStats } from './network';
export { VirtualClock, DEFAULT_MAX_EVENTS, type Clock, type TimerId, type RunOptions } from './clock';
export { fixed, uniform, exponential, type Delay, type LinkFaults, type ResolvedFaults } from './faults';
export { toMermaid, type TraceEvent, type DropReason, type MermaidOptions } from './trace';
export { Random } from './random';
export { settlement, type Settlement } from './settlement';
