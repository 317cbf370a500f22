import type { AddressInfo } from 'node:net';
import { createWebSocketInspector } from '@statelyai/inspect';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { WebSocketServer } from 'ws';
import { SignzyClient } from '../../src/providers/signzy/SignzyClient.js';
import { createGstrSession } from '../../src/session/createGstrSession.js';
import { createMockProvider } from '../../src/testing/mock/createMockProvider.js';
import { MOCK_DEFAULT_ACCOUNT, type MockProvider } from '../../src/testing/mock/types.js';
import { GSTIN, USERNAME } from '../helpers/fixtures.js';
import { leakedSecrets } from '../helpers/leaks.js';

let server: WebSocketServer | undefined;
let mock: MockProvider | undefined;
afterEach(async () => {
  server?.close();
  await mock?.close();
});

describe('a session watched by @statelyai/inspect', () => {
  it('sends the flow to the inspector, and no secret, also what it reads from actor references', async () => {
    // Arrange: a real WebSocket server on loopback standing in for the Stately viewer.
    server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
    await new Promise((resolve) => server?.once('listening', resolve));
    const frames: string[] = [];
    server.on('connection', (socket) => socket.on('message', (data) => frames.push(String(data))));
    const inspector = createWebSocketInspector({
      url: `ws://127.0.0.1:${(server.address() as AddressInfo).port}`,
    });
    mock = await createMockProvider({ otpMode: 'sandbox' });
    const provider = new SignzyClient({ ...MOCK_DEFAULT_ACCOUNT, baseUrl: mock.url });
    const session = createGstrSession({
      provider,
      gstin: GSTIN,
      username: USERNAME,
      inspect: inspector.inspect,
    });

    // Act
    session.start();
    const credentials = await session.submitOtp('575757');
    await vi.waitFor(() => expect(frames.some((f) => f.includes('authenticated'))).toBe(true), {
      timeout: 10_000,
    });
    session.stop();
    inspector.stop();

    // Assert
    const text = frames.join('\n');
    expect(text).toContain('verifyingOtp');
    expect(text).toContain('@xstate.actor');
    const secrets = [
      MOCK_DEFAULT_ACCOUNT.password,
      '575757',
      credentials.authToken,
      credentials.sek,
      credentials.appKey,
      credentials.accessToken,
    ].filter((s): s is string => s !== undefined);
    expect(leakedSecrets(text, secrets)).toEqual([]);
  });
});
