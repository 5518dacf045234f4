package dev.stigmergy.pheromone;

import dev.stigmergy.support.Api;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.hasItem;

@QuarkusTest
class PheromoneSignalTypeTest {

    @Test
    void registeringWithoutDecayIsRefusedNamingTheMissingPolicy() {
        String name = "t_" + Api.fresh("nodecay").replace('-', '_');
        Api.asAdmin().body(Map.of("name", name)).post("/signal-types").then().statusCode(400)
                .contentType("application/problem+json")
                .body("detail", containsString("decay policy is mandatory"))
                .body("violations.field", hasItem("decay"));
        Api.asAdmin().get("/signal-types/" + name).then().statusCode(404);
    }

    @Test
    void permanentDecayIsReservedForServiceOwnedTypes() {
        String name = "t_" + Api.fresh("perm").replace('-', '_');
        Api.asAdmin().body(Map.of("name", name, "decay", Map.of("kind", "PERMANENT")))
                .post("/signal-types").then().statusCode(400).body("detail", containsString("PERMANENT"));
        Api.asAdmin().get("/signal-types/" + name).then().statusCode(404);
    }

    @Test
    void namesMustBeLowerSnakeAndFamiliesAreAllowed() {
        String suffix = Api.fresh("N").replace("-", "").toLowerCase();
        // another spelling is refused, not rewritten, with the lower_snake form suggested
        Api.asAdmin().body(Map.of("name", "request.ReviewNeeded-" + suffix,
                        "decay", Map.of("kind", "EXPIRY", "ttlSeconds", 60)))
                .post("/signal-types").then().statusCode(400)
                .body("detail", containsString("did you mean 'request.review_needed_" + suffix + "'"));
        Api.asAdmin().body(Map.of("name", "'; drop table agent; --",
                        "decay", Map.of("kind", "EXPIRY", "ttlSeconds", 60)))
                .post("/signal-types").then().statusCode(400)
                .body("detail", not(containsString("did you mean")));
        Api.asAdmin().get("/signal-types/drop_table_agent").then().statusCode(404);
        Api.asAdmin().body(Map.of("name", "request.review_needed_" + suffix,
                        "decay", Map.of("kind", "EXPIRY", "ttlSeconds", 60)))
                .post("/signal-types").then().statusCode(201)
                .body("name", equalTo("request.review_needed_" + suffix))
                .body("maxIntensity", equalTo(10.0f))
                .body("decay.kind", equalTo("EXPIRY"));
        Api.asAdmin().body(Map.of("name", "gossip.x", "decay", Map.of("kind", "EXPIRY", "ttlSeconds", 60)))
                .post("/signal-types").then().statusCode(400).body("detail", containsString("family"));
    }

    @Test
    void exponentialFloorDefaultsTo005() {
        String name = Fixtures.exponentialType(60, Map.of());
        Api.asAdmin().get("/signal-types/" + name).then().statusCode(200)
                .body("decay.kind", equalTo("EXPONENTIAL"))
                .body("decay.halfLifeSeconds", equalTo(60))
                .body("decay.floor", equalTo(0.05f));
    }

    @Test
    void builtInsStateTheirDecayAndCannotBeDeleted() {
        Api.asAdmin().get("/signal-types/files_blocked").then().statusCode(200)
                .body("decay.kind", equalTo("PERMANENT")).body("serviceOwned", equalTo(true))
                .body("builtIn", equalTo(true));
        Api.asAdmin().get("/signal-types/workingonit").then().body("decay.kind", equalTo("EXPONENTIAL"));
        Api.asAdmin().get("/signal-types/importance").then().body("decay.kind", equalTo("EXPIRY"));
        Api.asAdmin().delete("/signal-types/importance").then().statusCode(403);
        Api.asAdmin().get("/signal-types/importance").then().statusCode(200);
    }

    @Test
    void typeInUseCannotChangeItsDecayKindButMayChangeItsSettings() {
        String type = Fixtures.exponentialType(60, Map.of());
        String env = Api.environment();
        Fixtures.deposit(Api.agent(), Api.job(env), type, 1.0);
        Api.asAdmin().body(Map.of("name", type, "decay", Map.of("kind", "EXPIRY", "ttlSeconds", 60)))
                .put("/signal-types/" + type).then().statusCode(409)
                .body("type", equalTo("/problems/signal-type-in-use"));
        Api.asAdmin().body(Map.of("name", type, "decay", Map.of("kind", "EXPONENTIAL", "halfLifeSeconds", 120)))
                .put("/signal-types/" + type).then().statusCode(200).body("decay.halfLifeSeconds", equalTo(120));
        Api.asAdmin().delete("/signal-types/" + type).then().statusCode(409);
    }

    @Test
    void unusedTypeIsDeleted() {
        String type = Fixtures.expiryType(60);
        Api.asAdmin().delete("/signal-types/" + type).then().statusCode(204);
        Api.asAdmin().get("/signal-types/" + type).then().statusCode(404);
    }
}
