import { type Locator, type Page, expect } from '@playwright/test';
import type { RunRequest, StepMode } from '../src/worker/protocol.ts';
import type {} from '../src/ui/testHook.ts';

/**
 * Drives the app the way a person would (roles and accessible names), plus the test hook to step
 * simulated time exactly instead of sleeping on wall time.
 */
export class AppDriver {
  readonly page: Page;

  constructor(page: Page) {
    this.page = page;
  }

  /** Opens the app (optionally at a fragment) and waits for the first frame. */
  async open(fragment = ''): Promise<void> {
    await this.page.goto(`/${fragment}`);
    await this.waitReady();
  }

  async waitReady(): Promise<void> {
    await expect(this.page.getByTestId('trace-hash')).toHaveText(/^[0-9a-f]{16}$/, {
      timeout: 15_000,
    });
    await this.page.waitForFunction(
      () => window.distsim?.frame() !== null && window.distsim?.frame() !== undefined,
    );
  }

  /** Loads a run through the hook (paused at `positionUs`). */
  async load(run: RunRequest, positionUs = 0): Promise<void> {
    await this.page.evaluate(async ({ run, positionUs }) => window.distsim?.load(run, positionUs), {
      run,
      positionUs,
    });
  }

  /** Pauses and steps the simulation (exactly, in simulated time). */
  async step(mode: StepMode): Promise<void> {
    await this.page.evaluate(async (mode) => {
      window.distsim?.pause();
      await window.distsim?.step(mode);
    }, mode);
  }

  async stepTo(ms: number): Promise<void> {
    await this.step({ kind: 'until', timeUs: Math.round(ms * 1000) });
  }

  async simTimeUs(): Promise<number> {
    return this.page.evaluate(() => window.distsim?.frame()?.timeUs ?? -1);
  }

  async traceHash(): Promise<string> {
    return (await this.page.getByTestId('trace-hash').textContent())?.trim() ?? '';
  }

  /** A node in the topology by its id (its accessible name starts with the id). */
  node(id: string): Locator {
    return this.page.getByRole('button', { name: new RegExp(`^${id},`) });
  }

  /** Every node whose accessible name says it leads: returns [id, term] pairs. */
  async leaders(): Promise<{ id: string; term: number }[]> {
    const names = await this.page
      .getByRole('button', { name: /^[a-z0-9-]+, leader, term \d+/ })
      .evaluateAll((elements) =>
        elements.map((element) => element.getAttribute('aria-label') ?? element.textContent),
      );
    return names.map((name) => {
      const [id = '', , term = ''] = name.split(', ');
      return { id, term: Number(term.replace('term ', '')) };
    });
  }

  async clickNode(id: string, modifiers: 'Shift'[] = []): Promise<void> {
    await this.node(id).click({ modifiers });
  }

  async screenshot(
    name: string,
    testInfo: {
      outputPath(name: string): string;
      attach(name: string, options: { path: string; contentType: string }): Promise<void>;
    },
  ): Promise<void> {
    const path = testInfo.outputPath(`${name}.png`);
    await this.page.screenshot({ path, fullPage: true });
    await testInfo.attach(name, { path, contentType: 'image/png' });
  }
}
