/**
 * The entry of a gate worker thread (run from dist/, see pool.ts): it
 * answers each GateJob message with the job's outcome, and closes its port,
 * ending the thread, when sent null. It checks the specs of the real
 * registry, like the rrcheck executable.
 */
import { parentPort } from 'node:worker_threads';
import { specRegistry } from '../../../specs/index.js';
import { explore } from '../../engine/index.js';
import { type GateJob, runJob } from './job.js';

const port = parentPort;
if (port === null) throw new Error('gate/worker.js runs as a worker thread only');
port.on('message', (job: GateJob | null) => {
  if (job === null) {
    port.close();
    return;
  }
  port.postMessage(runJob(specRegistry, job, (target, options) => explore(target, options)));
});
