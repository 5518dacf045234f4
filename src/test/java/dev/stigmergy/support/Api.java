package dev.stigmergy.support;

import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;

import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Test shortcuts for calling the API as an agent. */
public final class Api {

    /** The admin token the test profile configures through {@code stigmergy.admin-token}. */
    public static final String ADMIN_TOKEN = "test-admin-token-not-a-secret";

    private Api() {
    }

    /** A fresh id, unique across test runs sharing one database. */
    public static String fresh(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 12);
    }

    /**
     * An {@code after} cursor that a listing ordered by id answers {@code id} first from: the id without its last
     * character (a fresh id's random tail makes another id between them unlikely).
     */
    public static String justBefore(String id) {
        return id.substring(0, id.length() - 1);
    }

    public static RequestSpecification as(String token) {
        return RestAssured.given().auth().oauth2(token).contentType(ContentType.JSON);
    }

    public static RequestSpecification asAdmin() {
        return as(ADMIN_TOKEN);
    }

    /** Registers an agent with a fresh id and answers its token. */
    public static Agent agent(String... roles) {
        String id = fresh("agent");
        String token = asAdmin()
                .body(Map.of("id", id, "displayName", "Test " + id, "roles", List.of(roles.length == 0 ? new String[]{"agent"} : roles)))
                .post("/agents")
                .then().statusCode(201)
                .extract().path("token");
        return new Agent(id, token);
    }

    /** Creates an environment with a fresh name and answers the name. */
    public static String environment() {
        String name = fresh("env");
        asAdmin().body(Map.of("name", name)).post("/environments").then().statusCode(201);
        return name;
    }

    /** Creates {@code job/<fresh key>} in the environment and answers its key. */
    public static String job(String environment) {
        String key = fresh("JOB");
        asAdmin().body(Map.of("environment", environment, "title", "Job " + key))
                .put("/entities/job/" + key).then().statusCode(201);
        return key;
    }

    /** A registered agent and its bearer token. */
    public record Agent(String id, String token) {
        public RequestSpecification call() {
            return as(token);
        }
    }
}
