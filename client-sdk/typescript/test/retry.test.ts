import assert from 'node:assert/strict';
import { test } from 'node:test';
import { retryingFetch, retryAfterMs } from '../src/index';

// Which calls retryingFetch repeats, against a stand-in fetch that answers 503 a given number of times.

function unavailable(times: number, retryAfter?: string) {
    const calls: string[] = [];
    let left = times;
    const stand = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
        calls.push(`${init?.method ?? 'GET'} ${new URL(String(input)).pathname}`);
        if (left-- > 0) {
            const headers: Record<string, string> = { 'Content-Type': 'application/problem+json' };
            if (retryAfter !== undefined) {
                headers['Retry-After'] = retryAfter;
            }
            return new Response('{"status":503}', { status: 503, headers });
        }
        return new Response('{}', { status: 200, headers: { 'Content-Type': 'application/json' } });
    };
    return { calls, fetch: stand as typeof fetch };
}

test('release, renew, complete and heartbeat are retried through 503s', async () => {
    for (const [method, path] of [['DELETE', '/entities/job/K-1/lock'], ['POST', '/entities/job/K-1/lock/renew'],
        ['POST', '/intents/7/renew'], ['POST', '/intents/7/complete'], ['POST', '/agents/me/heartbeat'], ['GET', '/locks']]) {
        const stand = unavailable(2);
        const answer = await retryingFetch({ fetch: stand.fetch, firstDelayMs: 1, maxDelayMs: 5 })(
            `http://stigmergy.test${path}`, { method });
        assert.equal(answer.status, 200, `${method} ${path}`);
        assert.equal(stand.calls.length, 3, `${method} ${path}: two 503s, then the answer`);
    }
});

test('other POSTs are sent once: they may have taken effect', async () => {
    const stand = unavailable(1);
    const answer = await retryingFetch({ fetch: stand.fetch, firstDelayMs: 1 })('http://stigmergy.test/environments',
        { method: 'POST', body: '{"name":"app"}' });
    assert.equal(answer.status, 503);
    assert.deepEqual(stand.calls, ['POST /environments']);
});

test('retries stop at the limit and the last 503 reaches the caller', async () => {
    const stand = unavailable(10);
    const answer = await retryingFetch({ fetch: stand.fetch, retries: 2, firstDelayMs: 1, maxDelayMs: 2 })(
        'http://stigmergy.test/agents/me/heartbeat', { method: 'POST' });
    assert.equal(answer.status, 503);
    assert.equal(stand.calls.length, 3);
});

test('a 503 Retry-After sets the delay, capped at the maximum', () => {
    const asking = (value?: string) => new Response(null, { status: 503, headers: value ? { 'Retry-After': value } : {} });
    assert.equal(retryAfterMs(asking('1'), 2000), 1000);
    assert.equal(retryAfterMs(asking('9'), 2000), 2000);
    assert.equal(retryAfterMs(asking(), 2000), undefined);
    assert.equal(retryAfterMs(new Response(null, { status: 502, headers: { 'Retry-After': '1' } }), 2000), undefined);
});
