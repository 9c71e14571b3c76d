/**
 * The entry of a gate worker thread (run from dist/, see pool.ts): it
 * answers each GateJob message with the job's outcome, and closes its port,
 * ending the thread, when sent null. It checks the specs of the real
 * registry, like the rrcheck executable, or of the spec module a job names.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { specRegistry } from '../../../specs/index.js';
import { explore } from '../../engine/index.js';
import { type GateJob, runGateJob } from './job.js';

const port = parentPort;
// The gate's interruption flag (main.ts raises it at SIGINT/SIGTERM): the search stops when it is set.
const flagBuffer = (workerData as { interruptFlag?: SharedArrayBuffer } | undefined)?.interruptFlag;
const flag = flagBuffer === undefined ? undefined : new Int32Array(flagBuffer);
const interrupted = flag === undefined ? undefined : () => Atomics.load(flag, 0) !== 0;
if (port === null) throw new Error('gate/worker.js runs as a worker thread only');
port.on('message', (job: GateJob | null) => {
  if (job === null) {
    port.close();
    return;
  }
  // One job at a time: the pool sends the next only after this answer.
  void runGateJob(specRegistry, job, (target, options) => explore(target, options), interrupted).then((outcome) => port.postMessage(outcome));
});
