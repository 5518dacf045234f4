package dev.stigmergy.api;

import dev.stigmergy.support.Api;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

import static dev.stigmergy.support.Api.asAdmin;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Request bodies are read whole before the endpoint runs, whatever their framing, within the size limit. */
@QuarkusTest
class RequestBodiesTest {

    @TestHTTPResource("/environments")
    URI environments;

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @Test
    void chunkedBodyIsReadWhole() throws Exception {
        String name = "chunked-" + UUID.randomUUID().toString().substring(0, 8);
        assertEquals(201, post(chunked("{\"name\": \"" + name + "\"}")).statusCode());
        asAdmin().get("/environments/" + name).then().statusCode(200);
    }

    @Test
    void http2BodyIsRead() throws Exception {
        // the generated Java client speaks HTTP/2 (h2c, upgraded on a first request without a body)
        HttpClient h2 = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2).build();
        HttpRequest.Builder request = HttpRequest.newBuilder(environments)
                .header("Authorization", "Bearer " + Api.ADMIN_TOKEN).header("Content-Type", "application/json");
        HttpResponse<String> first = h2.send(request.copy().GET().build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(HttpClient.Version.HTTP_2, first.version());
        String name = "h2-" + UUID.randomUUID().toString().substring(0, 8);
        HttpResponse<String> created = h2.send(request.POST(HttpRequest.BodyPublishers.ofString(
                "{\"name\": \"" + name + "\"}")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(HttpClient.Version.HTTP_2, created.version());
        assertEquals(201, created.statusCode(), created.body());
        asAdmin().get("/environments/" + name).then().statusCode(200);
    }

    @Test
    void bodyOverTheLimitAnswers413AndChangesNothing() throws Exception {
        String name = "big-" + UUID.randomUUID().toString().substring(0, 8);
        // quarkus.http.limits.max-body-size is 1M: a valid request padded past it, with and without a length
        String body = "{\"name\": \"" + name + "\", \"description\": \"" + "x".repeat(1_100_000) + "\"}";
        assertEquals(413, post(HttpRequest.BodyPublishers.ofString(body)).statusCode());
        assertEquals(413, post(chunked(body)).statusCode());
        asAdmin().get("/environments/" + name).then().statusCode(404);
    }

    /** A body of unknown length, which HTTP/1.1 sends with {@code Transfer-Encoding: chunked}. */
    private static HttpRequest.BodyPublisher chunked(String body) {
        return HttpRequest.BodyPublishers.ofInputStream(
                () -> new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8)));
    }

    private HttpResponse<String> post(HttpRequest.BodyPublisher body) throws Exception {
        return http.send(HttpRequest.newBuilder(environments).header("Authorization", "Bearer " + Api.ADMIN_TOKEN)
                .header("Content-Type", "application/json").POST(body).build(), HttpResponse.BodyHandlers.ofString());
    }
}
