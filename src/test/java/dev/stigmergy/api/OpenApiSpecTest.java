package dev.stigmergy.api;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The committed spec under {@code openapi/} must equal the one the service generates, so clients generated
 * from it (client-sdk/) match the API. Refresh it with
 * {@code ./mvnw test -Dtest=OpenApiSpecTest -Dopenapi.refresh=true} and commit the result.
 */
@QuarkusTest
class OpenApiSpecTest {

    private static final String REFRESH = "./mvnw test -Dtest=OpenApiSpecTest -Dopenapi.refresh=true";

    @Test
    void committedYamlMatchesGenerated() throws IOException {
        check("openapi.yaml", RestAssured.given().get("/q/openapi").then().statusCode(200).extract().asString());
    }

    @Test
    void committedJsonMatchesGenerated() throws IOException {
        check("openapi.json", RestAssured.given().get("/q/openapi?format=json").then().statusCode(200).extract().asString());
    }

    private static void check(String name, String generated) throws IOException {
        Path committed = Path.of("openapi", name);
        if (Boolean.getBoolean("openapi.refresh")) {
            Files.createDirectories(committed.getParent());
            Files.writeString(committed, generated);
            return;
        }
        String expected = Files.exists(committed) ? Files.readString(committed) : "";
        Path actual = Path.of("target", "openapi-generated", name);
        Files.createDirectories(actual.getParent());
        Files.writeString(actual, generated);
        assertEquals(expected, generated, "openapi/" + name + " differs from the generated spec (written to " + actual
                + "). If the API change is intended, refresh it with: " + REFRESH);
    }
}
