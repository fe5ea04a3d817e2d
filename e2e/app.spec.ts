import { expect, test } from './fixtures.ts';

const patternNames = [
  'Ambassador',
  'Circuit Breaker',
  'CQRS',
  'Event Sourcing',
  'Leader Election',
  'Pub/Sub',
  'Sharding',
  'Strangler Fig',
];

test('the home page names the product and lists the eight patterns', async ({ page }, testInfo) => {
  await page.goto('/');

  await expect(page).toHaveTitle('DistSim');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('DistSim');
  await expect(page.getByRole('main')).toBeVisible();

  const patterns = page.getByRole('list').getByRole('listitem');
  await expect(patterns.getByRole('heading', { level: 3 })).toHaveText(patternNames);
  await expect(patterns.filter({ hasText: 'Coming soon' })).toHaveCount(7);
  await expect(patterns.filter({ hasText: 'Leader Election' })).not.toContainText('Coming soon');

  const screenshot = testInfo.outputPath('home.png');
  await page.screenshot({ path: screenshot, fullPage: true });
  await testInfo.attach('home', { path: screenshot, contentType: 'image/png' });
});
