import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { test } from 'node:test';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { ErrorCode, McpError, ResourceUpdatedNotificationSchema } from '@modelcontextprotocol/sdk/types.js';
import { AgentsApi, EntitiesApi, EnvironmentsApi, IntentsApi, LocksApi, ResponseError } from '../src/index';
import { LiveService } from './liveService';

// The MCP endpoint of the packaged service driven by the official MCP TypeScript client over Streamable HTTP,
// as an agent host would: the bearer token in a header, the tools listed with their schemas and called.

const service = LiveService.replica();

type Structured = Record<string, any>;

/** An MCP session as the agent owning `token`. */
async function connect(token: string): Promise<Client> {
    const transport = new StreamableHTTPClientTransport(new URL(`${service.url}/mcp`), {
        requestInit: { headers: { Authorization: `Bearer ${token}` } },
    });
    const client = new Client({ name: 'stigmergy-e2e', version: '1.0.0' });
    await client.connect(transport);
    return client;
}

/** Calls a tool and answers its structured content, checking isError; the client validates it against outputSchema. */
async function call(client: Client, name: string, args: Record<string, unknown>, error = false): Promise<Structured> {
    const result = await client.callTool({ name, arguments: args });
    assert.equal(result.isError ?? false, error, `${name}: ${JSON.stringify(result)}`);
    return result.structuredContent as Structured;
}

async function agent(run: string, name: string): Promise<{ id: string, token: string }> {
    const registered = await new AgentsApi(service.configuration()).registerAgent({
        registerAgent: { id: `mcp-${name}-${run}`, displayName: `MCP ${name}`, roles: ['agent'] },
    });
    return { id: registered.agent!.id!, token: registered.token! };
}

async function environmentWithJobs(run: string, ...jobs: string[]): Promise<string> {
    const admin = service.configuration();
    const env = `mcp-${run}`;
    await new EnvironmentsApi(admin).createEnvironment({ createEnvironment: { name: env } });
    for (const job of jobs) {
        await new EntitiesApi(admin).putEntity({ kind: 'job', key: job, putEntity: { environment: env, title: job } });
    }
    return env;
}

test('initialize and list the tools with their input and output schemas', async () => {
    const run = randomUUID().slice(0, 8);
    const client = await connect((await agent(run, 'lister')).token);
    try {
        assert.equal(client.getServerVersion()?.name, 'stigmergy');
        const { tools } = await client.listTools();
        const names = tools.map(t => t.name).sort();
        for (const expected of ['acquire_lock', 'answer_unlock_request', 'cancel_intent', 'check_files', 'claim_pheromone',
            'complete_intent', 'declare_intent', 'deposit_pheromone', 'edit_overlaps', 'give_verdict', 'heartbeat',
            'my_holds', 'rank_entities', 'release_claim', 'release_lock', 'renew_lock', 'request_unlock', 'sense_entity']) {
            assert.ok(names.includes(expected), `${expected} is listed`);
        }
        const acquire = tools.find(t => t.name === 'acquire_lock')!;
        assert.deepEqual(acquire.inputSchema.required, ['entity', 'leaseSeconds']);
        assert.match(JSON.stringify(acquire.inputSchema.properties), /seconds/);
        assert.equal(acquire.outputSchema?.type, 'object');
    } finally {
        await client.close();
    }
});

test('two agents race acquire_lock on one entity: exactly one wins, the other is told the holder', async () => {
    const run = randomUUID().slice(0, 8);
    const job = `RACE-${run}`;
    await environmentWithJobs(run, job);
    const [a, b] = [await agent(run, 'a'), await agent(run, 'b')];
    const [ca, cb] = [await connect(a.token), await connect(b.token)];
    try {
        const results = await Promise.all([ca, cb].map(c =>
            c.callTool({ name: 'acquire_lock', arguments: { entity: `job/${job}`, leaseSeconds: 60 } })));
        const winners = results.filter(r => !r.isError);
        const losers = results.filter(r => r.isError);
        assert.equal(winners.length, 1);
        assert.equal(losers.length, 1);
        const holder = (winners[0].structuredContent as Structured).lock.holder;
        const problem = losers[0].structuredContent as Structured;
        assert.equal(problem.status, 409);
        assert.equal(problem.hold.holder, holder);
        assert.ok(problem.hold.fencingToken > 0);
        assert.ok(problem.hold.expiresAt);
        const lock = await new LocksApi(service.configuration()).getLock({ kind: 'job', key: job });
        assert.equal(lock.holder, holder);
    } finally {
        await ca.close();
        await cb.close();
    }
});

test('an L4 declare_intent is seen by another agent\'s check_files and as files_blocked through sense_entity', async () => {
    const run = randomUUID().slice(0, 8);
    const [jobA, jobB] = [`A-${run}`, `B-${run}`];
    const env = await environmentWithJobs(run, jobA, jobB);
    const [a, b] = [await agent(run, 'holder'), await agent(run, 'checker')];
    const [ca, cb] = [await connect(a.token), await connect(b.token)];
    try {
        const declared = await call(ca, 'declare_intent', {
            environment: env, entity: `job/${jobA}`, description: 'rewrite the auth module', leaseSeconds: 600,
            files: [{ path: 'src/auth/Login.java', level: 4 }],
        });
        const intentId = declared.intent.id;

        const check = await call(cb, 'check_files', {
            environment: env, entity: `job/${jobB}`, files: [{ path: 'src/auth/Login.java', level: 2, lineRanges: [{ start: 10, end: 20 }] }],
        });
        assert.equal(check.collides, true);
        const collision = check.files[0].overlaps[0];
        assert.equal(collision.holder, a.id);
        assert.equal(collision.intentId, intentId);
        assert.equal(collision.level, 4);
        assert.equal(collision.expiresAt, declared.intent.expiresAt);

        const sensed = await call(cb, 'sense_entity', { entity: `job/${jobA}` });
        const blocked = sensed.pheromones.find((p: Structured) => p.type === 'files_blocked');
        assert.ok(blocked, JSON.stringify(sensed));
        assert.match(JSON.stringify(blocked.payload), /src\/auth\/Login\.java/);

        const unlock = await call(cb, 'request_unlock', { intentId, reason: 'a hotfix touches Login.java' });
        assert.equal(unlock.request.holder, a.id);
    } finally {
        await ca.close();
        await cb.close();
    }
});

test('an unlock request approved with handover gives the requester the lock with a new fencing token', async () => {
    const run = randomUUID().slice(0, 8);
    const job = `H-${run}`;
    await environmentWithJobs(run, job);
    const [a, b] = [await agent(run, 'owner'), await agent(run, 'asker')];
    const [ca, cb] = [await connect(a.token), await connect(b.token)];
    try {
        const granted = await call(ca, 'acquire_lock', { entity: `job/${job}`, leaseSeconds: 300 });
        const refused = await call(cb, 'acquire_lock', { entity: `job/${job}`, leaseSeconds: 300 }, true);
        assert.equal(refused.hold.holder, a.id);

        const requested = await call(cb, 'request_unlock', { entity: `job/${job}`, reason: 'release blocker', handover: true });
        const holds = await call(ca, 'my_holds', {});
        assert.ok(holds.toDecide.some((r: Structured) => r.id === requested.request.id));

        const approved = await call(ca, 'answer_unlock_request', { requestId: requested.request.id, decision: 'approve' });
        assert.equal(approved.status, 'APPROVED');
        assert.ok(approved.grantedFencingToken > granted.lock.fencingToken);
        const lock = await new LocksApi(service.configuration()).getLock({ kind: 'job', key: job });
        assert.equal(lock.holder, b.id);
        assert.equal(lock.fencingToken, approved.grantedFencingToken);
    } finally {
        await ca.close();
        await cb.close();
    }
});

test('bad arguments are invalid-params errors that change nothing', async () => {
    const run = randomUUID().slice(0, 8);
    const job = `BAD-${run}`;
    const env = await environmentWithJobs(run, job);
    const client = await connect((await agent(run, 'sloppy')).token);
    try {
        for (const args of [{ entity: `job/${job}`, leaseSeconds: 0 }, { entity: `job/${job}` },
            { entity: 'no address', leaseSeconds: 30 }]) {
            await assert.rejects(client.callTool({ name: 'acquire_lock', arguments: args }),
                (e: unknown) => e instanceof McpError && e.code === ErrorCode.InvalidParams
                    && /leaseSeconds|entity/.test(e.message));
        }
        await assert.rejects(new LocksApi(service.configuration()).getLock({ kind: 'job', key: job }),
            (e: unknown) => e instanceof ResponseError && e.response.status === 404);

        await assert.rejects(client.callTool({ name: 'declare_intent', arguments: {
            environment: env, entity: `job/${job}`, description: 'x', leaseSeconds: 60, files: [{ path: 'a.txt', level: 9 }],
        } }), (e: unknown) => e instanceof McpError && e.code === ErrorCode.InvalidParams && /files\[0]\.level/.test(e.message));
        const intents = await new IntentsApi(service.configuration()).listIntents({ environment: env });
        assert.equal(intents.length, 0);
    } finally {
        await client.close();
    }
});

test('a subscribed entity resource is notified within 2 s of a change made through REST on another replica', async () => {
    const run = randomUUID().slice(0, 8);
    const job = `SUB-${run}`;
    await environmentWithJobs(run, job);
    const [watcher, actor] = [await agent(run, 'watcher'), await agent(run, 'actor')];
    const client = await connect(watcher.token);
    // a second replica on the same database
    const other = LiveService.replica(1);
    try {
        const uri = `stigmergy://entities/job/${job}`;
        const before = await client.readResource({ uri });
        assert.equal(JSON.parse((before.contents[0] as { text: string }).text).entity, `job/${job}`);
        const updates: string[] = [];
        let notifiedAt = 0;
        let notified: () => void = () => undefined;
        const arrived = new Promise<void>(done => { notified = done; });
        client.setNotificationHandler(ResourceUpdatedNotificationSchema, n => {
            updates.push(n.params.uri);
            if (n.params.uri === uri && notifiedAt === 0) {
                notifiedAt = Date.now();
                notified();
            }
        });
        await client.subscribeResource({ uri });

        // the change is made, and committed, when the other replica answers
        const actorOnOther = other.configuration(actor.token);
        await new AgentsApi(actorOnOther).getCurrentAgent(); // a fresh replica's first call is slow: not the change
        await new LocksApi(actorOnOther).acquireLock({
            kind: 'job', key: job, acquireLock: { leaseSeconds: 60, reason: 'through REST on the other replica' },
        });
        const changedAt = Date.now();
        const timeout = new Promise<never>((_, fail) =>
            setTimeout(() => fail(new Error(`not notified within 2 s; got ${updates}`)), 2000).unref());
        await Promise.race([arrived, timeout]);
        assert.ok(notifiedAt - changedAt <= 2000, `notified ${notifiedAt - changedAt} ms after the change`);

        const after = await client.readResource({ uri });
        assert.ok(JSON.parse((after.contents[0] as { text: string }).text).at);
    } finally {
        await client.close();
    }
});

test('no bearer token: the endpoint answers 401 before any MCP message', async () => {
    const transport = new StreamableHTTPClientTransport(new URL(`${service.url}/mcp`));
    const client = new Client({ name: 'anonymous', version: '1.0.0' });
    await assert.rejects(client.connect(transport), /401/);
});
