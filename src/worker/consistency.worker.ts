import { handleConsistencyRequest } from './consistencyMessages.ts';

declare const self: DedicatedWorkerGlobalScope;

/*
 * The consistency worker: checks one recorded history per request (src/consistency) off the
 * page's main thread and posts the verdicts, or what was wrong with the request.
 */
self.onmessage = (event: MessageEvent<unknown>) => {
  self.postMessage(handleConsistencyRequest(event.data));
};
