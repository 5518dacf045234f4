package dev.stigmergy.api;

import dev.stigmergy.support.Api;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Sends hundreds of malformed or hostile requests across the API and asserts that every answer is a 4xx
 * problem document and that no table changed.
 */
@QuarkusTest
class HostileInputTest {

    record Case(String method, String path, String contentType, String body) {
        @Override
        public String toString() {
            String shown = body == null ? "" : body.length() > 60 ? body.substring(0, 60) + "…" : body;
            return method + " " + (path.length() > 80 ? path.substring(0, 80) + "…" : path) + " " + shown;
        }
    }

    @Inject
    AgroalDataSource dataSource;

    @Test
    void hostileRequestsAnswer4xxProblemsAndChangeNothing() throws SQLException {
        String env = Api.environment();
        String key = Api.job(env);
        List<Case> cases = cases(env, key);
        assertTrue(cases.size() >= 200, "only " + cases.size() + " cases");

        Map<String, String> before = snapshot();
        List<String> failures = new ArrayList<>();
        for (Case c : cases) {
            RequestSpecification request = RestAssured.given().urlEncodingEnabled(false).auth().oauth2(Api.ADMIN_TOKEN);
            if (c.contentType() != null) {
                request.contentType(c.contentType());
            }
            if (c.body() != null) {
                request.body(c.body().getBytes(java.nio.charset.StandardCharsets.UTF_8));
            }
            Response response = request.request(c.method(), c.path());
            int status = response.statusCode();
            String type = String.valueOf(response.contentType());
            if (status < 400 || status > 499) {
                failures.add(status + " for " + c);
            } else if (!type.startsWith("application/problem+json")) {
                failures.add("content type " + type + " for " + c);
            } else if (response.jsonPath().getInt("status") != status || response.jsonPath().getString("detail") == null) {
                failures.add("incomplete problem " + response.asString() + " for " + c);
            }
        }
        assertEquals(List.of(), failures);
        assertEquals(before, snapshot(), "a hostile request changed the database");
    }

    private static List<Case> cases(String env, String key) {
        String huge = "x".repeat(100_000);
        String deep = "[".repeat(5_000) + "]".repeat(5_000);
        List<String> malformed = List.of("{", "}", "{\"name\":}", "nul", "{\"name\":\"a\",}", "'single'",
                "{\"name\": \"a\"}}", "\u0000", "[", "{\"a\":1e999999}", deep, "[1,2,3]", "\"just a string\"", "42",
                "true", "{\"name\": \"a\" \"b\"}", "{name: \"a\"}", "{\"name\": NaN}", "\uFEFF{");
        List<String> hostileStrings = List.of("' OR 1=1 --", "\"; drop table agent; --", "job'--", "%", "_",
                "../../etc/passwd", "..", "a/b", ".hidden", "x\u0000y", "<script>alert(1)</script>", huge,
                "Robert'); DROP TABLE entity;--", "\\..\\..\\windows", "UPPER CASE", "");

        List<Case> cases = new ArrayList<>();
        // malformed bodies on every write
        for (String body : malformed) {
            cases.add(new Case("POST", "/agents", "application/json", body));
            cases.add(new Case("POST", "/environments", "application/json", body));
            cases.add(new Case("POST", "/entity-kinds", "application/json", body));
            cases.add(new Case("PUT", "/entities/job/" + key, "application/json", body));
            cases.add(new Case("POST", "/entities/job/" + key + "/lock", "application/json", body));
            cases.add(new Case("POST", "/entities/job/" + key + "/pheromones", "application/json", body));
            cases.add(new Case("POST", "/environments/" + env + "/intents", "application/json", body));
            cases.add(new Case("POST", "/environments/" + env + "/verify", "application/json", body));
        }
        // hostile values in every string field
        for (String s : hostileStrings) {
            String v = json(s);
            cases.add(new Case("POST", "/agents", "application/json", "{\"id\":" + v + ",\"displayName\":\"d\"}"));
            cases.add(new Case("POST", "/agents", "application/json", "{\"id\":\"ok-id-hostile\",\"displayName\":\"d\",\"roles\":[" + v + "]}"));
            cases.add(new Case("POST", "/environments", "application/json", "{\"name\":" + v + "}"));
            cases.add(new Case("POST", "/entity-kinds", "application/json", "{\"name\":" + v + "}"));
            cases.add(new Case("PUT", "/entities/job/" + key, "application/json",
                    "{\"environment\":\"" + env + "\",\"title\":\"t\",\"status\":" + v + "}"));
        }
        // huge strings where names are free text
        cases.add(new Case("POST", "/agents", "application/json", "{\"id\":\"ok-huge\",\"displayName\":\"" + huge + "\"}"));
        cases.add(new Case("POST", "/environments", "application/json", "{\"name\":\"ok-huge\",\"description\":\"" + huge + "\"}"));
        cases.add(new Case("PUT", "/entities/job/" + key, "application/json", "{\"environment\":\"" + env + "\",\"title\":\"" + huge + "\"}"));
        // NUL in free text, which PostgreSQL cannot store
        cases.add(new Case("POST", "/agents", "application/json", "{\"id\":\"ok-nul\",\"displayName\":\"a\\u0000b\"}"));
        cases.add(new Case("POST", "/environments", "application/json", "{\"name\":\"ok-nul\",\"description\":\"a\\u0000b\"}"));
        cases.add(new Case("PUT", "/entities/job/" + key, "application/json", "{\"environment\":\"" + env + "\",\"title\":\"a\\u0000b\"}"));
        cases.add(new Case("GET", "/events?type=a%00b", null, null));
        cases.add(new Case("GET", "/entities?environment=a%00b", null, null));
        // wrong types
        for (String v : List.of("123", "true", "[]", "{}", "1.5", "-1")) {
            cases.add(new Case("POST", "/agents", "application/json", "{\"id\":" + v + ",\"displayName\":\"d\"}"));
            if (!v.equals("[]")) { // an empty role list is valid: the default role
                cases.add(new Case("POST", "/agents", "application/json", "{\"id\":\"ok-types\",\"displayName\":\"d\",\"roles\":" + v + "}"));
            }
            cases.add(new Case("POST", "/environments", "application/json", "{\"name\":" + v + "}"));
            cases.add(new Case("PUT", "/entities/job/" + key, "application/json", "{\"environment\":" + v + ",\"title\":\"t\"}"));
        }
        // fields that would name another agent, or do not exist
        for (String field : List.of("agent", "agentId", "holder", "createdBy", "token", "tokenHash", "id")) {
            cases.add(new Case("POST", "/environments", "application/json", "{\"name\":\"ok-field\",\"" + field + "\":\"admin\"}"));
            cases.add(new Case("PUT", "/entities/job/" + key, "application/json",
                    "{\"environment\":\"" + env + "\",\"title\":\"t\",\"" + field + "\":\"admin\"}"));
        }
        // missing required fields and empty bodies
        for (String body : List.of("{}", "null", "")) {
            cases.add(new Case("POST", "/agents", "application/json", body));
            cases.add(new Case("POST", "/environments", "application/json", body));
            cases.add(new Case("POST", "/entity-kinds", "application/json", body));
            cases.add(new Case("PUT", "/entities/job/" + key, "application/json", body));
        }
        // wrong content types
        for (String type : List.of("text/plain", "application/xml", "text/csv", "application/octet-stream")) {
            cases.add(new Case("POST", "/environments", type, "name=ok-ct"));
            cases.add(new Case("PUT", "/entities/job/" + key, type, "title=t"));
        }
        // traversal, metacharacters and unknown kinds in paths
        for (String segment : List.of("..%2F..%2Fetc%2Fpasswd", "%2e%2e%2f%2e%2e%2fetc", ".hidden", "key%00", "%27%20OR%201%3D1--",
                "a%2Fb", "x".repeat(300), "%3Cscript%3E", "%25", "COD2-5%3B%20drop%20table%20entity")) {
            cases.add(new Case("GET", "/entities/job/" + segment, null, null));
            cases.add(new Case("PUT", "/entities/job/" + segment, "application/json", "{\"environment\":\"" + env + "\",\"title\":\"t\"}"));
            cases.add(new Case("PUT", "/entities/" + segment + "/K-1", "application/json", "{\"environment\":\"" + env + "\",\"title\":\"t\"}"));
            cases.add(new Case("GET", "/environments/" + segment, null, null));
            cases.add(new Case("GET", "/agents/" + segment, null, null));
        }
        for (String kind : List.of("spaceship", "JOB", "job-", "merge_request", "1job")) {
            cases.add(new Case("PUT", "/entities/" + kind + "/K-1", "application/json", "{\"environment\":\"" + env + "\",\"title\":\"t\"}"));
            cases.add(new Case("GET", "/entities/" + kind + "/K-1", null, null));
        }
        // bad query parameters
        for (String q : List.of("limit=0", "limit=-5", "limit=abc", "limit=100000", "after=-1", "after=abc",
                "after=1e10", "limit=1.5", "after=%27%20or%201%3D1")) {
            cases.add(new Case("GET", "/events?" + q, null, null));
        }
        for (String q : List.of("limit=0", "limit=-5", "limit=abc", "limit=5000", "after=nokind", "after=%2F", "after=job%2F")) {
            cases.add(new Case("GET", "/entities?" + q, null, null));
        }
        // unknown paths and methods
        for (String path : List.of("/", "/admin", "/entities/job", "/agents/me/token", "/events/../../etc/passwd", "/signal", "/q/../etc/passwd")) {
            cases.add(new Case("GET", path, null, null));
        }
        cases.add(new Case("DELETE", "/environments/" + env, null, null));
        cases.add(new Case("DELETE", "/agents/admin", null, null));
        cases.add(new Case("PATCH", "/entities/job/" + key, "application/json", "{}"));
        cases.add(new Case("POST", "/events", "application/json", "{}"));
        cases.add(new Case("PUT", "/agents/me", "application/json", "{}"));
        return cases;
    }

    private static String json(String s) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }

    /** A digest of every application table, so any insert, update or delete shows. */
    private Map<String, String> snapshot() throws SQLException {
        Map<String, String> digests = new LinkedHashMap<>();
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            List<String> tables = new ArrayList<>();
            try (ResultSet r = s.executeQuery("""
                    select tablename from pg_tables where schemaname = current_schema()
                    and tablename <> 'flyway_schema_history' order by tablename""")) {
                while (r.next()) {
                    tables.add(r.getString(1));
                }
            }
            for (String table : tables) {
                try (ResultSet r = s.executeQuery("select count(*) || ':' || coalesce(md5(string_agg(t::text, ',' order by t::text)), '') from "
                        + table + " t")) {
                    r.next();
                    digests.put(table, r.getString(1));
                }
            }
            try (ResultSet r = s.executeQuery("select last_value from event_id_seq")) {
                r.next();
                digests.put("event_id_seq", r.getString(1));
            }
        }
        return digests;
    }
}
