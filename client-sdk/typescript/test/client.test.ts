import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { test } from 'node:test';
import {
    AgentsApi, EntitiesApi, EnvironmentsApi, EventsApi, EventView, IntentsApi, LocksApi, PheromonesApi, ResponseError,
    UnlockRequestsApi, UnlockRequestStatus, streamEvents,
} from '../src/index';
import { LiveService } from './liveService';

// The TypeScript SDK against the packaged service: one agent's day, as the generated API and streamEvents see it.

const service = LiveService.replica();

test('agents coordinate through the SDK and the event stream shows it', async () => {
    const run = randomUUID().slice(0, 8);
    const admin = service.configuration();
    const worker = await new AgentsApi(admin).registerAgent({
        registerAgent: { id: `ts-worker-${run}`, displayName: 'TS worker', roles: ['worker'] },
    });
    const other = await new AgentsApi(admin).registerAgent({
        registerAgent: { id: `ts-other-${run}`, displayName: 'TS other', roles: ['worker'] },
    });
    assert.ok(worker.token, 'the token is shown at registration');
    const alice = service.configuration(worker.token);
    const bob = service.configuration(other.token!);
    assert.equal((await new AgentsApi(alice).getCurrentAgent()).agent?.id, `ts-worker-${run}`);

    const env = `ts-${run}`;
    await new EnvironmentsApi(admin).createEnvironment({ createEnvironment: { name: env, description: 'TS SDK test' } });
    const job = `J-${run}`;
    await new EntitiesApi(alice).putEntity({ kind: 'job', key: job, putEntity: { environment: env, title: 'TS flow' } });

    const expected = ['pheromone.deposited', 'lock.acquired', 'unlock-request.created', 'intent.declared'];
    const seen: EventView[] = [];
    // the stream opens at the first next(), in the background: starting after event 0 of this fresh
    // environment makes the service replay whatever it would otherwise miss before it subscribed
    const stream = streamEvents(alice, {
        types: ['pheromone.*', 'lock.*', 'unlock-request.*', 'intent.*'], environment: env, lastEventId: 0,
        signal: AbortSignal.timeout(60_000),
    });
    const reading = (async () => {
        for await (const event of stream) {
            seen.push(event);
            if (expected.every(type => seen.some(e => e.type === type))) {
                return;
            }
        }
    })();

    const deposited = await new PheromonesApi(alice).depositPheromone({
        kind: 'job', key: job, deposit: { type: 'workingonit', intensity: 2 },
    });
    const sensed = await new PheromonesApi(bob).senseEntity({ kind: 'job', key: job });
    assert.ok(sensed.pheromones?.some(p => p.id === deposited.id && p.type === 'workingonit'),
        `bob senses alice's pheromone: ${JSON.stringify(sensed)}`);

    const grant = await new LocksApi(alice).acquireLock({
        kind: 'job', key: job, acquireLock: { leaseSeconds: 300, reason: 'working' },
    });
    assert.equal(grant.holder, `ts-worker-${run}`);
    const request = await new UnlockRequestsApi(bob).requestUnlock({
        kind: 'job', key: job, requestUnlock: { reason: 'I need it for a hotfix' },
    });
    assert.equal(request.status, UnlockRequestStatus.Pending);
    const lock = await new LocksApi(alice).getLock({ kind: 'job', key: job });
    assert.ok(lock.unlockRequests?.some(r => r.id === request.id && r.requester === `ts-other-${run}`),
        `the request is pending on the lock: ${JSON.stringify(lock)}`);

    const decision = await new IntentsApi(alice).declareIntent({
        environment: env,
        declareIntent: {
            entity: `job/${job}`, description: 'fix the parser', leaseSeconds: 300,
            files: [{ path: 'src/parser.c', level: 3, lineRanges: [{ start: 10, end: 20 }] }],
        },
    });
    assert.ok(decision.intent, `the intent is granted: ${JSON.stringify(decision)}`);

    await reading;
    assert.deepEqual(seen.map(e => e.type).filter(type => expected.includes(type!)), expected, 'in the order they happened');
    assert.ok(seen.every(e => e.environment === env));
});

test('a stream resumes after a last event id, replaying from the log', async () => {
    const run = randomUUID().slice(0, 8);
    const admin = service.configuration();
    const env = `ts-resume-${run}`;
    await new EnvironmentsApi(admin).createEnvironment({ createEnvironment: { name: env } });
    await new EntitiesApi(admin).putEntity({ kind: 'job', key: `A-${run}`, putEntity: { environment: env, title: 'first' } });
    const logged = await new EventsApi(admin).listEvents({ environment: env, type: 'entity.created' });
    const firstId = logged.events![logged.events!.length - 1].id!;
    await new EntitiesApi(admin).putEntity({ kind: 'job', key: `B-${run}`, putEntity: { environment: env, title: 'second' } });
    await new EntitiesApi(admin).putEntity({ kind: 'job', key: `C-${run}`, putEntity: { environment: env, title: 'third' } });

    const entities: string[] = [];
    for await (const event of streamEvents(admin, {
        types: ['entity.*'], environment: env, lastEventId: firstId, signal: AbortSignal.timeout(30_000),
    })) {
        entities.push(event.entity!);
        if (entities.length === 2) {
            break;
        }
    }
    assert.deepEqual(entities, [`job/B-${run}`, `job/C-${run}`], 'what followed the last event id, and only that');
});

test('a refused stream carries the problem', async () => {
    const stranger = service.configuration('not-a-token');
    await assert.rejects(streamEvents(stranger).next(), (e: unknown) => {
        return e instanceof ResponseError && e.response.status === 401;
    });
});
