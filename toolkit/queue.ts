/**
 * queue: an in-process message queue with competing workers, for the lessons on asynchronous
 * messaging and on message queues. Runs in real time or, given a netsim `VirtualClock`, in virtual time.
 *
 * (Notebooks import this file, `./toolkit/queue`: tslab resolves a module path to a file,
 * not to a folder's index.)
 *
 * @module
 */
export * from './queue/index';
