package dev.stigmergy.api;

import dev.stigmergy.support.Api;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import static dev.stigmergy.support.Api.asAdmin;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The defects a hostile client found (issue 23): each answer is a 4xx problem document that names what is wrong,
 * and the refused request changes nothing.
 */
@QuarkusTest
class HardeningTest {

    @ConfigProperty(name = "quarkus.http.host")
    String host;

    private static RequestSpecification raw() {
        return RestAssured.given().urlEncodingEnabled(false).auth().oauth2(Api.ADMIN_TOKEN).contentType(ContentType.JSON);
    }

    @Test
    void aNulAnywhereInAPheromonePayloadAnswers400() {
        String env = Api.environment();
        String key = Api.job(env);
        for (String payload : new String[]{"{\"k\":\"\\u0000\"}", "{\"\\u0000\":1}", "[[[\"a\\u0000b\"]]]",
                "{\"a\":[1,{\"b\":{\"c\\u0000\":true}}]}"}) {
            raw().body("{\"type\":\"importance\",\"payload\":" + payload + "}")
                    .post("/entities/job/" + key + "/pheromones").then().statusCode(400)
                    .contentType("application/problem+json")
                    .body("detail", containsString("payload"))
                    .body("detail", containsString("NUL"));
        }
        asAdmin().get("/entities/job/" + key + "/pheromones").then().statusCode(200).body("pheromones.size()", equalTo(0));
    }

    @Test
    void blankOrNulStringsInNumbersAndBooleansAnswer400NamingTheField() {
        String env = Api.environment();
        String key = Api.job(env);
        for (String blank : new String[]{"\"\"", "\" \"", "\"\\u0000\""}) {
            raw().body("{\"type\":\"importance\",\"intensity\":" + blank + "}")
                    .post("/entities/job/" + key + "/pheromones").then().statusCode(400)
                    .contentType("application/problem+json")
                    .body("detail", containsString("'intensity'"));
            raw().body("{\"leaseSeconds\":" + blank + "}").post("/entities/job/" + key + "/lock").then().statusCode(400)
                    .body("detail", containsString("'leaseSeconds'"));
        }
        raw().body("{\"name\":\"" + Api.fresh("ro") + "\",\"readOnly\":\" \"}").post("/roles").then().statusCode(400)
                .body("detail", containsString("'readOnly'"));
        asAdmin().get("/entities/job/" + key + "/pheromones").then().statusCode(200).body("pheromones.size()", equalTo(0));
    }

    @Test
    void fractionsInIntegerFieldsAnswer400NamingTheField() {
        String env = Api.environment();
        String key = Api.job(env);
        raw().body("{\"leaseSeconds\":1.9}").post("/entities/job/" + key + "/lock").then().statusCode(400)
                .contentType("application/problem+json")
                .body("detail", equalTo("field 'leaseSeconds': cannot read '1.9' as an integer"));
        asAdmin().get("/entities/job/" + key + "/lock").then().statusCode(404);
        raw().body("{\"entity\":\"job/" + key + "\",\"fencingToken\":1.5}").post("/fencing/check").then().statusCode(400)
                .body("detail", containsString("'fencingToken'"));
        raw().body("{\"refs\":[\"a\",\"b\"],\"contextLines\":2.5}").post("/environments/" + env + "/edit-overlaps")
                .then().statusCode(400).body("detail", containsString("'contextLines'"));
        raw().body("{\"entity\":\"job/" + key + "\",\"description\":\"d\",\"leaseSeconds\":60,"
                        + "\"files\":[{\"path\":\"a.txt\",\"level\":3,\"lineRanges\":[{\"start\":1.5,\"end\":3}]}]}")
                .post("/environments/" + env + "/intents").then().statusCode(400)
                .body("detail", containsString("'files[0].lineRanges[0].start'"));
    }

    @Test
    void malformedQueryParametersAnswer400NamingTheParameter() {
        for (String[] c : new String[][]{{"/events?limit=abc", "limit"}, {"/locks?limit=abc", "limit"},
                {"/events?after=1.5", "after"}, {"/events?after=%20", "after"}, {"/entities?limit=1e3", "limit"},
                {"/pheromones/ranking?type=importance&minIntensity=NaN", "minIntensity"}}) {
            raw().get(c[0]).then().statusCode(400)
                    .contentType("application/problem+json")
                    .body("type", equalTo("/problems/invalid-input"))
                    .body("violations[0].field", equalTo(c[1]));
        }
    }

    @Test
    void anOversizedBodyAnswers413Problem() {
        byte[] body = ("{\"name\":\"" + "x".repeat(1_100_000) + "\"}").getBytes(StandardCharsets.UTF_8);
        raw().body(body).post("/environments").then().statusCode(413)
                .contentType("application/problem+json")
                .body("status", equalTo(413))
                .body("detail", containsString("bytes"));
    }

    @Test
    void anOversizedChunkedBodyAnswers413Problem() throws IOException {
        // no Content-Length to refuse up front: the limit is met while the body is read
        int size = 1_100_000;
        String answer = rawExchange("POST /environments HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer "
                + Api.ADMIN_TOKEN + "\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n"
                + "Connection: close\r\n\r\n" + Integer.toHexString(size) + "\r\n" + "x".repeat(size) + "\r\n0\r\n\r\n");
        assertTrue(answer.startsWith("HTTP/1.1 413"), answer);
        assertTrue(answer.toLowerCase().contains("content-type: application/problem+json"), answer);
    }

    @Test
    void anOverlongUriAnswers414Problem() {
        raw().get("/entities/job/" + "x".repeat(10_000)).then().statusCode(414)
                .contentType("application/problem+json")
                .body("status", equalTo(414));
    }

    @Test
    void malformedPercentEncodingAnswers400Problem() throws IOException {
        // HTTP clients refuse to send these: written on a socket as a hostile client would
        for (String target : new String[]{"/entities/%/F0", "/entities/job/%zz", "/events?type=%", "/agents/%e"}) {
            String answer = rawExchange("GET " + target + " HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer "
                    + Api.ADMIN_TOKEN + "\r\nConnection: close\r\n\r\n");
            assertTrue(answer.startsWith("HTTP/1.1 400"), target + " answered " + answer);
            assertTrue(answer.toLowerCase().contains("content-type: application/problem+json"), answer);
            assertTrue(answer.contains("percent-encoding"), answer);
        }
    }

    private static String rawExchange(String request) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", RestAssured.port)) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            socket.getOutputStream().flush();
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void aSemicolonInAPathSegmentAnswers400AndAddressesNothing() {
        String env = Api.environment();
        String key = Api.fresh("MX");
        raw().body(Map.of("environment", env, "title", "t")).put("/entities/job/" + key + ";b").then().statusCode(400)
                .contentType("application/problem+json")
                .body("detail", containsString("';'"));
        asAdmin().get("/entities/job/" + key).then().statusCode(404);

        String held = Api.job(env);
        asAdmin().body(Map.of("leaseSeconds", 60)).post("/entities/job/" + held + "/lock").then().statusCode(201);
        raw().delete("/entities/job/" + held + ";x/lock").then().statusCode(400);
        asAdmin().get("/entities/job/" + held + "/lock").then().statusCode(200).body("holder", equalTo("admin"));
    }

    @Test
    void aNonAdminIsRefusedBeforeItsBodyIsRead() {
        Api.Agent worker = Api.agent("worker");
        for (String path : new String[]{"/agents", "/roles", "/entity-kinds"}) {
            for (String body : new String[]{"{\"id\":5}", "{", "{\"unknown\":true}"}) {
                worker.call().body(body).post(path).then().statusCode(403)
                        .contentType("application/problem+json")
                        .body("detail", containsString("needs the admin role"));
            }
        }
        worker.call().body("{\"localQuery\":7}").put("/roles/worker/slice").then().statusCode(403);
    }

    @Test
    void aLoneSurrogateInAStringAnswers400() {
        String env = Api.environment();
        raw().body("{\"refs\":[\"main\",\"x\\ud800\"]}").post("/environments/" + env + "/edit-overlaps")
                .then().statusCode(400)
                .contentType("application/problem+json")
                .body("detail", containsString("surrogate"));
        raw().body("{\"name\":\"" + Api.fresh("env") + "\",\"description\":\"\\udc00\"}").post("/environments")
                .then().statusCode(400);
    }

    @Test
    void theServiceListensOnLoopbackUnlessToldOtherwise() {
        assertEquals("127.0.0.1", host);
    }

    // ---- papercuts a newcomer met ----

    @Test
    void anAgentsDisplayNameDefaultsToItsId() {
        String id = Api.fresh("agent");
        asAdmin().body(Map.of("id", id)).post("/agents").then().statusCode(201).body("agent.displayName", equalTo(id));
        asAdmin().body(Map.of("id", Api.fresh("agent"), "displayName", " ")).post("/agents").then().statusCode(400)
                .body("violations[0].field", equalTo("displayName"));
    }

    @Test
    void aRefusedWriteNamesWhetherTheSliceOrTheTypeRefused() {
        String env = Api.environment();
        String key = Api.job(env);
        Api.Agent worker = Api.agent("worker");
        worker.call().body(Map.of("type", "importance")).post("/entities/job/" + key + "/pheromones").then()
                .statusCode(403)
                .body("refusedBy", equalTo("role-slice"))
                .body("detail", containsString("/roles/worker/slice"));
    }

    @Test
    void aSliceWithoutALocalQueryLimitTakesTheDocumentedDefault() {
        String role = "r" + Api.fresh("x").replace("-", "").substring(0, 10);
        asAdmin().body(Map.of("name", role)).post("/roles").then().statusCode(201);
        asAdmin().body(Map.of("reads", java.util.List.of("*"), "writes", java.util.List.of(), "reinforces", java.util.List.of(),
                        "localQuery", Map.of("entityKinds", java.util.List.of(), "types", java.util.List.of())))
                .put("/roles/" + role + "/slice").then().statusCode(200)
                .body("localQuery.limit", equalTo(100));
    }

    @Test
    void aHandedOverLockCarriesTheRequestersReason() {
        String env = Api.environment();
        String key = Api.job(env);
        Api.Agent holder = Api.agent(), requester = Api.agent();
        String lock = "/entities/job/" + key + "/lock";
        holder.call().body(Map.of("leaseSeconds", 60, "reason", "holder's work")).post(lock).then().statusCode(201);
        long request = requester.call().body(Map.of("reason", "requester's fix", "handover", true))
                .post(lock + "/unlock-requests").then().statusCode(201).extract().jsonPath().getLong("id");
        holder.call().body(Map.of()).post("/unlock-requests/" + request + "/approve").then().statusCode(200);
        asAdmin().get(lock).then().statusCode(200)
                .body("holder", equalTo(requester.id()))
                .body("reason", equalTo("requester's fix"));
    }
}
