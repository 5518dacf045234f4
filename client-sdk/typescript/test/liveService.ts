import { Configuration } from '../src/index';

/**
 * The packaged service the build started for these tests: the test harness's `ServiceProcess run` (see pom.xml)
 * starts its replicas on the test database, one admin token for all, and passes STIGMERGY_URL (the first),
 * STIGMERGY_REPLICA_URLS (all, comma-separated) and STIGMERGY_ADMIN_TOKEN; it stops them when `npm test` ends.
 * Outside the build, start a service and set the same variables.
 */
export class LiveService {
    private constructor(readonly url: string, readonly adminToken: string) {
    }

    /** Replica `index` (0, the default, is STIGMERGY_URL). */
    static replica(index = 0): LiveService {
        const urls = (process.env.STIGMERGY_REPLICA_URLS ?? process.env.STIGMERGY_URL ?? '').split(',').filter(u => u);
        const adminToken = process.env.STIGMERGY_ADMIN_TOKEN;
        if (urls.length <= index || !adminToken) {
            throw new Error(`no service replica ${index}: run the tests through the build (./mvnw verify), or set `
                + 'STIGMERGY_REPLICA_URLS and STIGMERGY_ADMIN_TOKEN');
        }
        return new LiveService(urls[index], adminToken);
    }

    /** The client configuration of the agent with this token (the admin's by default). */
    configuration(token: string = this.adminToken): Configuration {
        return new Configuration({ basePath: this.url, accessToken: token });
    }
}
