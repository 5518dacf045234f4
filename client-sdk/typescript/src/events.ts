import { Configuration, EventView, EventViewFromJSON, ResponseError } from '../generated/index';

/** Which events a stream carries and where it starts. */
export interface StreamOptions {
    /** Event type selectors (`pheromone.*`, `*.released`, `intent.denied`); empty or absent for every type. */
    types?: string[];
    /** Only events of this environment. */
    environment?: string;
    /** Resume after this event id: the service first replays what followed it from its log. */
    lastEventId?: number;
    /** Aborting it ends the stream (the iteration then throws the abort reason). */
    signal?: AbortSignal;
}

/**
 * Reads `GET /events/stream` (Server-Sent Events) as an async iterable of events, in log order, with the
 * configuration's token, headers and fetch. The iteration ends when the service ends the stream (at
 * shutdown, or for a reader too slow for its buffer) or the connection drops; resume with the id of the
 * last event taken as `lastEventId`. Leaving the loop (`break`) closes the connection.
 *
 * Hand-written because a generated method reads a response whole, which a stream that never ends does not
 * allow; the spec marks the operation internal so none is generated.
 *
 * @throws ResponseError when the service refuses the stream (its response carries the problem)
 */
export async function* streamEvents(configuration: Configuration, options: StreamOptions = {}): AsyncGenerator<EventView> {
    const query = new URLSearchParams();
    for (const type of options.types ?? []) {
        query.append('types', type);
    }
    if (options.environment !== undefined) {
        query.set('environment', options.environment);
    }
    const headers: Record<string, string> = { ...configuration.headers, Accept: 'text/event-stream' };
    const token = configuration.accessToken ? await configuration.accessToken('bearer', []) : undefined;
    if (token) {
        headers['Authorization'] = `Bearer ${token}`;
    }
    if (options.lastEventId !== undefined) {
        headers['Last-Event-ID'] = String(options.lastEventId);
    }
    const fetchApi = configuration.fetchApi ?? fetch;
    const search = query.toString() === '' ? '' : `?${query}`;
    const response = await fetchApi(`${configuration.basePath}/events/stream${search}`, { headers, signal: options.signal });
    if (!response.ok || response.body === null) {
        throw new ResponseError(response, `event stream refused: ${response.status}`);
    }
    const reader = response.body.getReader();
    const decoder = new TextDecoder();
    const lines = new LineSplitter();
    let data: string[] = [];
    try {
        for (;;) {
            const chunk = await reader.read();
            if (chunk.done) {
                return;
            }
            for (const line of lines.push(decoder.decode(chunk.value, { stream: true }))) {
                if (line === '') {
                    if (data.length > 0) {
                        yield EventViewFromJSON(JSON.parse(data.join('\n')));
                    }
                    data = [];
                } else if (fieldOf(line) === 'data') {
                    data.push(valueOf(line));
                }
                // comments (':' lines) are keep-alives; id and event repeat what the JSON data carries
            }
        }
    } finally {
        await reader.cancel().catch(() => undefined);
    }
}

/** Splits text arriving in chunks into lines ended by CRLF, LF or CR, as SSE allows. */
class LineSplitter {
    private rest = '';

    push(text: string): string[] {
        let all = this.rest + text;
        // a CR at the very end may be the first half of a CRLF split across chunks: decide with the next chunk
        let heldCr = '';
        if (all.endsWith('\r')) {
            heldCr = '\r';
            all = all.slice(0, -1);
        }
        const lines = all.split(/\r\n|\n|\r/);
        this.rest = (lines.pop() ?? '') + heldCr;
        return lines;
    }
}

function fieldOf(line: string): string {
    const colon = line.indexOf(':');
    return colon < 0 ? line : line.slice(0, colon);
}

function valueOf(line: string): string {
    const colon = line.indexOf(':');
    if (colon < 0) {
        return '';
    }
    const value = line.slice(colon + 1);
    // SSE strips exactly one space after the colon
    return value.startsWith(' ') ? value.slice(1) : value;
}
