package dev.stigmergy.caller;

import dev.stigmergy.api.ForbiddenException;
import jakarta.enterprise.context.RequestScoped;

import java.util.List;

/**
 * The authenticated agent of the current call and the role it acts as. Set once per request by the agent
 * capability's authentication filter ({@code agent.BearerAuthentication}); the acting agent is always the token's
 * agent, never a body field (DESIGN.md §6).
 */
@RequestScoped
public class Caller {

    private String agentId;
    private List<String> roles = List.of();
    private String actingRole;
    private java.util.Set<String> environments; // null: every environment

    /**
     * The caller of a door that is not a JAX-RS resource (the MCP endpoint): a plain instance, not the
     * request-scoped bean, holding the identity that the agent capability resolved from a token.
     */
    public static Caller of(Identity who) {
        Caller caller = new Caller();
        caller.authenticate(who);
        return caller;
    }

    /** Sets who calls; the authentication filter does so once per request, before any resource runs. */
    public void authenticate(Identity who) {
        authenticate(who.agentId(), who.roles(), who.actingRole(), who.environments());
    }

    private void authenticate(String agentId, List<String> roles, String actingRole, java.util.Set<String> environments) {
        this.environments = environments;
        this.agentId = agentId;
        this.roles = List.copyOf(roles);
        this.actingRole = actingRole;
    }

    /** The acting agent's id. */
    public String agentId() {
        return agentId;
    }

    /** Every role the agent declared at registration, in declared order. */
    public List<String> roles() {
        return roles;
    }

    /** The role this call acts as: the {@code X-Stigmergy-Role} header, or the agent's first role. */
    public String actingRole() {
        return actingRole;
    }

    /** Whether the agent is limited to a list of environments (issue 27); an unscoped agent reaches every one. */
    public boolean scoped() {
        return environments != null;
    }

    /**
     * Whether the agent may reach {@code environment}: the one rule of environment scopes (issue 27). Whatever
     * belongs to no environment ({@code null}) is reachable.
     */
    public boolean reaches(String environment) {
        return environments == null || environment == null || environments.contains(environment);
    }

    /**
     * The environments a scoped agent may reach, for a listing's query to filter by (so that its pages are full and
     * its cursor right); {@code null} when it reaches every one.
     */
    public java.util.Set<String> environments() {
        return environments;
    }

    /**
     * {@link #reaches} as a snapshot of this call's scope, for use off the request (event streams).
     */
    public java.util.function.Predicate<String> reachable() {
        java.util.Set<String> scope = environments;
        return environment -> scope == null || environment == null || scope.contains(environment);
    }

    /**
     * @throws ForbiddenException the environment is outside the agent's scope (403)
     */
    public void requireEnvironment(String environment) {
        if (!reaches(environment)) {
            throw new ForbiddenException("environment '" + environment + "' is outside the scope of agent '"
                    + agentId + "'");
        }
    }

    /** Whether this call acts as {@code admin}. */
    public boolean isAdmin() {
        return Roles.ADMIN.equals(actingRole);
    }

    /**
     * @throws ForbiddenException unless this call acts as {@code admin} or {@code maintainer} (403)
     */
    public void requireMaintainer(String what) {
        if (!isAdmin() && !Roles.MAINTAINER.equals(actingRole)) {
            throw new ForbiddenException(what + " needs the admin or maintainer role; this call acts as '"
                    + actingRole + "'");
        }
    }

    /**
     * @throws ForbiddenException unless this call acts as {@code admin} (403)
     */
    public void requireAdmin(String what) {
        if (!isAdmin()) {
            throw new ForbiddenException(what + " needs the admin role; this call acts as '" + actingRole + "'");
        }
    }
}
