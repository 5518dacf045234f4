package dev.stigmergy.api;

import dev.stigmergy.support.Api;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;

import static dev.stigmergy.support.Api.asAdmin;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;

@QuarkusTest
class ProblemResponsesTest {

    @Test
    void unknownPathAnswers404Problem() {
        asAdmin().get("/no/such/thing").then().statusCode(404)
                .contentType("application/problem+json")
                .body("status", equalTo(404))
                .body("title", equalTo("Not Found"));
    }

    @Test
    void wrongMethodAnswers405Problem() {
        asAdmin().delete("/environments").then().statusCode(405)
                .contentType("application/problem+json")
                .body("status", equalTo(405));
    }

    @Test
    void wrongContentTypeAnswers415Problem() {
        RestAssured.given().auth().oauth2(Api.ADMIN_TOKEN).contentType(ContentType.TEXT)
                .body("name=x").post("/environments").then().statusCode(415)
                .contentType("application/problem+json")
                .body("detail", equalTo("unsupported content type: send application/json"));
    }

    @Test
    void malformedJsonAnswers400Problem() {
        asAdmin().body("{\"name\": ").post("/environments").then().statusCode(400)
                .contentType("application/problem+json")
                .body("type", equalTo("/problems/malformed-body"))
                .body("detail", containsString("malformed JSON"));
    }

    @Test
    void wrongTypeAnswers400NamingTheField() {
        asAdmin().body("{\"id\": \"x1\", \"displayName\": \"x\", \"roles\": \"admin\"}").post("/agents")
                .then().statusCode(400)
                .contentType("application/problem+json")
                .body("detail", containsString("roles"));
    }

    @Test
    void missingBodyAnswers400Problem() {
        asAdmin().post("/environments").then().statusCode(400)
                .contentType("application/problem+json");
    }

    @Test
    void problemsNeverLeakClassNames() {
        asAdmin().body("[1,2,3]").post("/environments").then().statusCode(400)
                .contentType("application/problem+json")
                .body("detail", not(containsString("dev.stigmergy")));
    }

    @Test
    void healthAndSpecNeedNoToken() {
        RestAssured.given().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"));
        RestAssured.given().get("/q/health/live").then().statusCode(200);
        RestAssured.given().get("/q/openapi?format=json").then().statusCode(200).body("openapi", equalTo("3.0.3"));
        RestAssured.given().get("/q/metrics").then().statusCode(200);
    }
}
