import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Configuration, streamEvents } from '../src/index';

// streamEvents' parsing and request, against a stand-in fetch that serves a stream cut at awkward places.

function serving(chunks: string[], seen: { url?: string; headers?: Record<string, string> } = {}): Configuration {
    const encoder = new TextEncoder();
    return new Configuration({
        basePath: 'http://stigmergy.test',
        accessToken: 'tok',
        headers: { 'X-Stigmergy-Role': 'scout' },
        fetchApi: async (url, init) => {
            seen.url = String(url);
            seen.headers = init?.headers as Record<string, string>;
            const body = new ReadableStream<Uint8Array>({
                start(controller) {
                    chunks.forEach(chunk => controller.enqueue(encoder.encode(chunk)));
                    controller.close();
                },
            });
            return new Response(body, { status: 200, headers: { 'Content-Type': 'text/event-stream' } });
        },
    });
}

async function all(configuration: Configuration): Promise<unknown[]> {
    const events = [];
    for await (const event of streamEvents(configuration)) {
        events.push({ id: event.id, type: event.type, data: event.data, at: event.occurredAt?.toISOString() });
    }
    return events;
}

test('events are parsed across chunk boundaries, CRLF split in two included; comments are skipped', async () => {
    const events = await all(serving([
        ': subscribed\r\n\r\nid: 7\r\nevent: lock.acquired\r\nda',
        'ta: {"id":7,"type":"lock.acquired","occurredAt":"2026-11-22T02:00:00Z","data":{"fencingToken":3}}\r',
        '\n\r\n: heartbeat\n\nid: 8\nevent: lock.released\ndata: {"id":8,\ndata: "type":"lock.released"}\n\n',
    ]));
    assert.deepEqual(events, [
        { id: 7, type: 'lock.acquired', data: { fencingToken: 3 }, at: '2026-11-22T02:00:00.000Z' },
        { id: 8, type: 'lock.released', data: undefined, at: undefined },
    ]);
});

test('the request carries the selectors, the environment, the resume point, the token and the configured headers', async () => {
    const seen: { url?: string; headers?: Record<string, string> } = {};
    const stream = streamEvents(serving([], seen), { types: ['lock.*', '*.released'], environment: 'app', lastEventId: 41 });
    assert.equal((await stream.next()).done, true);
    assert.equal(seen.url, 'http://stigmergy.test/events/stream?types=lock.*&types=*.released&environment=app');
    assert.equal(seen.headers?.['Authorization'], 'Bearer tok');
    assert.equal(seen.headers?.['X-Stigmergy-Role'], 'scout');
    assert.equal(seen.headers?.['Last-Event-ID'], '41');
    assert.equal(seen.headers?.['Accept'], 'text/event-stream');
});
