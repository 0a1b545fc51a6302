import nock from 'nock';
import { afterEach } from 'vitest';

// No test may reach the network; loopback stays open for fake servers run by the tests themselves.
nock.disableNetConnect();
nock.enableNetConnect(/^(127\.0\.0\.1|localhost|\[::1\])(:\d+)?$/);

afterEach(() => {
  const pending = nock.pendingMocks();
  nock.cleanAll();
  if (pending.length > 0) {
    throw new Error(`unused HTTP mocks left at the end of the test: ${pending.join(', ')}`);
  }
});
