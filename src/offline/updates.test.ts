import { describe, expect, it, vi } from 'vitest';
import { isSkipWaitingMessage, skipWaitingMessage } from './messages.ts';
import {
  type ContainerLike,
  type RegistrationLike,
  type WorkerLike,
  activateWaitingWorker,
  watchForWaitingWorker,
} from './updates.ts';

class FakeWorker extends EventTarget implements WorkerLike {
  state = 'installing';
  readonly messages: unknown[] = [];
  postMessage(message: unknown): void {
    this.messages.push(message);
  }
  become(state: string): void {
    this.state = state;
    this.dispatchEvent(new Event('statechange'));
  }
}

class FakeRegistration extends EventTarget implements RegistrationLike {
  installing: FakeWorker | null = null;
  waiting: FakeWorker | null = null;
  /** A new sw.js was found: it starts installing. */
  find(worker: FakeWorker): void {
    this.installing = worker;
    this.dispatchEvent(new Event('updatefound'));
  }
}

class FakeContainer extends EventTarget implements ContainerLike {
  controller: object | null = null;
  changeController(): void {
    this.controller = {};
    this.dispatchEvent(new Event('controllerchange'));
  }
}

describe('watchForWaitingWorker', () => {
  it('reports a new deploy once it is installed while another worker controls the page', () => {
    const registration = new FakeRegistration();
    const container = new FakeContainer();
    container.controller = {};
    const onWaiting = vi.fn();
    watchForWaitingWorker(registration, container, onWaiting);
    const worker = new FakeWorker();
    registration.find(worker);
    expect(onWaiting).not.toHaveBeenCalled();
    worker.become('installed');
    expect(onWaiting).toHaveBeenCalledExactlyOnceWith(worker);
  });

  it('does not call the first install of all an update', () => {
    const registration = new FakeRegistration();
    const container = new FakeContainer();
    const onWaiting = vi.fn();
    watchForWaitingWorker(registration, container, onWaiting);
    const worker = new FakeWorker();
    registration.find(worker);
    worker.become('installed');
    worker.become('activated');
    expect(onWaiting).not.toHaveBeenCalled();
  });

  it('reports at once a worker left waiting by an earlier visit', () => {
    const registration = new FakeRegistration();
    const container = new FakeContainer();
    container.controller = {};
    const waiting = new FakeWorker();
    waiting.state = 'installed';
    registration.waiting = waiting;
    const onWaiting = vi.fn();
    watchForWaitingWorker(registration, container, onWaiting);
    expect(onWaiting).toHaveBeenCalledExactlyOnceWith(waiting);
  });

  it('ignores a deploy that failed to install', () => {
    const registration = new FakeRegistration();
    const container = new FakeContainer();
    container.controller = {};
    const onWaiting = vi.fn();
    watchForWaitingWorker(registration, container, onWaiting);
    const worker = new FakeWorker();
    registration.find(worker);
    worker.become('redundant');
    expect(onWaiting).not.toHaveBeenCalled();
  });

  it('stops reporting once stopped', () => {
    const registration = new FakeRegistration();
    const container = new FakeContainer();
    container.controller = {};
    const onWaiting = vi.fn();
    const stop = watchForWaitingWorker(registration, container, onWaiting);
    const early = new FakeWorker();
    registration.find(early);
    stop();
    early.become('installed');
    registration.find(new FakeWorker());
    expect(onWaiting).not.toHaveBeenCalled();
  });
});

describe('activateWaitingWorker', () => {
  it('asks the worker to skip waiting and reloads once it controls the page, only once', () => {
    const container = new FakeContainer();
    container.controller = {};
    const worker = new FakeWorker();
    const reload = vi.fn();
    activateWaitingWorker(worker, container, reload);
    expect(worker.messages).toEqual([skipWaitingMessage]);
    expect(reload).not.toHaveBeenCalled();
    container.changeController();
    container.changeController();
    expect(reload).toHaveBeenCalledTimes(1);
  });
});

describe('isSkipWaitingMessage', () => {
  it('recognises only the skip-waiting message', () => {
    expect(isSkipWaitingMessage(skipWaitingMessage)).toBe(true);
    expect(isSkipWaitingMessage({ ...skipWaitingMessage })).toBe(true);
    expect(isSkipWaitingMessage({ type: 'something-else' })).toBe(false);
    expect(isSkipWaitingMessage('distsim.skip-waiting')).toBe(false);
    expect(isSkipWaitingMessage(null)).toBe(false);
  });
});
