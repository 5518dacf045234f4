import { ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, openSync, readFileSync, closeSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { Client } from 'pg';
import { Configuration } from '../src/index';

const STARTUP_MS = 180_000;

/**
 * The packaged service (`java -jar quarkus-run.jar`, env STIGMERGY_SERVICE_JAR) run as a process for the
 * SDK tests, on the machine's PostgreSQL: database STIGMERGY_TEST_DB (default stigmergy_test, created when
 * missing) on server STIGMERGY_TEST_PG (default jdbc:postgresql://127.0.0.1:5432/), a free HTTP port and
 * an admin token of its own.
 */
export class LiveService {
    private constructor(readonly url: string, readonly adminToken: string,
                        private readonly process: ChildProcess, private readonly log: string) {
    }

    /** Starts the service and resolves once /q/health/ready answers 200. */
    static async start(): Promise<LiveService> {
        const jar = resolve(process.env.STIGMERGY_SERVICE_JAR ?? '../../target/quarkus-app/quarkus-run.jar');
        if (!existsSync(jar)) {
            throw new Error(`${jar} is missing: build the service first (./mvnw package)`);
        }
        const workDir = resolve(process.env.STIGMERGY_SERVICE_WORK_DIR ?? 'target/live-service');
        mkdirSync(workDir, { recursive: true });
        const log = join(workDir, 'service.log');
        const port = await freePort();
        const adminToken = `sdk-test-admin-${randomUUID()}`;
        const out = openSync(log, 'w');
        const child = spawn(process.env.STIGMERGY_JAVA ?? 'java', ['-jar', jar], {
            env: {
                ...process.env,
                QUARKUS_DATASOURCE_JDBC_URL: await ensureDatabase(),
                QUARKUS_DATASOURCE_USERNAME: 'postgres',
                STIGMERGY_ADMIN_TOKEN: adminToken,
                QUARKUS_HTTP_PORT: String(port),
                STIGMERGY_DATA_DIR: workDir,
            },
            stdio: ['ignore', out, out],
        });
        closeSync(out);
        const service = new LiveService(`http://127.0.0.1:${port}`, adminToken, child, log);
        try {
            await service.awaitReady();
        } catch (e) {
            await service.stop();
            throw e;
        }
        return service;
    }

    /** The client configuration of the agent with this token (the admin's by default). */
    configuration(token: string = this.adminToken): Configuration {
        return new Configuration({ basePath: this.url, accessToken: token });
    }

    /** Stops the service with SIGTERM and resolves when it has exited. */
    async stop(): Promise<void> {
        if (this.process.exitCode !== null || this.process.signalCode !== null) {
            return;
        }
        const exited = new Promise(done => this.process.once('exit', done));
        this.process.kill('SIGTERM');
        await exited;
    }

    private async awaitReady(): Promise<void> {
        const deadline = Date.now() + STARTUP_MS;
        while (Date.now() < deadline) {
            if (this.process.exitCode !== null) {
                throw new Error(`service exited with ${this.process.exitCode}:\n${this.tail()}`);
            }
            try {
                const ready = await fetch(`${this.url}/q/health/ready`, { signal: AbortSignal.timeout(5000) });
                if (ready.status === 200) {
                    return;
                }
            } catch {
                // connection refused until the HTTP server is up
            }
            await delay(250);
        }
        throw new Error(`service not ready within ${STARTUP_MS} ms; log ${this.log}:\n${this.tail()}`);
    }

    private tail(): string {
        const text = readFileSync(this.log, 'utf8');
        return text.slice(Math.max(0, text.length - 4000));
    }
}

async function ensureDatabase(): Promise<string> {
    let server = process.env.STIGMERGY_TEST_PG ?? 'jdbc:postgresql://127.0.0.1:5432/';
    server = server.endsWith('/') ? server : `${server}/`;
    const name = process.env.STIGMERGY_TEST_DB ?? 'stigmergy_test';
    const address = new URL(server.replace(/^jdbc:/, ''));
    const client = new Client({
        host: address.hostname, port: Number(address.port || 5432), user: 'postgres', database: 'postgres',
    });
    await client.connect();
    try {
        const exists = await client.query('select 1 from pg_database where datname = $1', [name]);
        if (exists.rowCount === 0) {
            await client.query(`create database ${client.escapeIdentifier(name)}`);
        }
    } catch (e) {
        // a concurrent run may have created it between the check and the create
        if ((e as { code?: string }).code !== '42P04') {
            throw e;
        }
    } finally {
        await client.end();
    }
    return server + name;
}

function freePort(): Promise<number> {
    return new Promise((done, fail) => {
        const probe = createServer();
        probe.once('error', fail);
        probe.listen(0, '127.0.0.1', () => {
            const address = probe.address();
            const port = typeof address === 'object' && address !== null ? address.port : 0;
            probe.close(() => done(port));
        });
    });
}
