package dev.stigmergy.api;

/** Input that passed the wire shape checks but breaks a rule of the service: 400. */
public class InvalidInputException extends StigmergyException {

    public InvalidInputException(String detail) {
        super(400, "/problems/invalid-input", "Invalid input", detail);
    }
}
