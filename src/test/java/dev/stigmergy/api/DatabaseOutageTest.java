package dev.stigmergy.api;

import dev.stigmergy.support.Api;
import dev.stigmergy.support.Await;
import dev.stigmergy.support.TcpProxy;
import dev.stigmergy.support.TestDatabase;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * While the database cannot be reached, every call answers 503 problem+json with {@code Retry-After}, the log
 * holds one WARN for the outage and no stack trace per call, and the service serves again by itself once the
 * database is back. The outage is staged by cutting a TCP proxy between the service and PostgreSQL.
 */
@QuarkusTest
@TestProfile(DatabaseOutageTest.ThroughProxy.class)
class DatabaseOutageTest {

    static final TcpProxy PROXY;

    static {
        URI server = URI.create(TestDatabase.server().substring("jdbc:".length()));
        PROXY = TcpProxy.to(server.getHost(), server.getPort());
    }

    /** The test database, reached through {@link #PROXY}. */
    public static class ThroughProxy implements QuarkusTestProfile {
        public ThroughProxy() {
            System.setProperty(TestDatabase.URL_FOR_PROFILE + ThroughProxy.class.getName(),
                    "jdbc:postgresql://127.0.0.1:" + PROXY.port() + "/" + TestDatabase.NAME);
        }
    }

    @Test
    void anOutageAnswers503WithRetryAfterAndOneWarnThenRecovers() {
        List<LogRecord> records = new ArrayList<>();
        Handler capture = new Handler() {
            @Override
            public synchronized void publish(LogRecord record) {
                records.add(record);
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        Logger outageLog = Logger.getLogger(DatabaseOutage.class.getName());
        Logger mapperLog = Logger.getLogger(ProblemMapper.class.getName());
        outageLog.addHandler(capture);
        mapperLog.addHandler(capture);
        try {
            Api.asAdmin().body(Map.of("name", Api.fresh("env"))).post("/environments").then().statusCode(201);
            assertTrue(PROXY.accepted() > 0, "the service reaches the database through the proxy");

            PROXY.cut();
            for (int i = 0; i < 5; i++) {
                long start = System.nanoTime();
                Response answer = Api.asAdmin().body(Map.of("name", Api.fresh("env"))).post("/environments");
                System.out.printf("call %d during the outage answered %d in %d ms%n", i, answer.statusCode(),
                        Duration.ofNanos(System.nanoTime() - start).toMillis());
                answer.then().statusCode(503)
                        .contentType("application/problem+json")
                        .header("Retry-After", "1");
                assertEquals("/problems/database-unavailable", answer.jsonPath().getString("type"));
            }
            synchronized (capture) {
                assertEquals(1, records.stream().filter(r -> r.getLevel().intValue() == Level.WARNING.intValue()).count(), describe(records));
                assertEquals(0, records.stream().filter(r -> r.getLevel().intValue() >= Level.SEVERE.intValue()).count(),
                        describe(records));
                assertTrue(records.stream().allMatch(r -> r.getThrown() == null || r.getLevel() == Level.FINE
                        || r.getLevel().intValue() < Level.INFO.intValue()), describe(records));
            }

            PROXY.restore();
            Await.until(() -> Api.asAdmin().body(Map.of("name", Api.fresh("env"))).post("/environments").statusCode() == 201,
                    Duration.ofSeconds(20), Duration.ofMillis(100), "the service writes again once the database is back");
        } finally {
            PROXY.restore();
            outageLog.removeHandler(capture);
            mapperLog.removeHandler(capture);
        }
    }

    private static String describe(List<LogRecord> records) {
        return records.stream().map(r -> r.getLevel() + " " + r.getMessage()).toList().toString();
    }
}
