package dev.stigmergy.api;

/** The addressed resource (agent, environment, entity kind, entity, …) does not exist: 404. */
public class NotFoundException extends StigmergyException {

    /**
     * @param what kind of resource, e.g. {@code "environment"}
     * @param id   how the caller addressed it
     */
    public NotFoundException(String what, String id) {
        super(404, "/problems/not-found", "Not found", what + " '" + id + "' does not exist");
    }
}
