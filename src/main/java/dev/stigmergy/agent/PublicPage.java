package dev.stigmergy.agent;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a resource class whose answers carry no data of the medium (page shells such as the reviewer
 * dashboard's HTML): {@link BearerAuthentication} lets its calls through without a token. A browser cannot
 * attach a bearer header to a navigation, so the page loads first and its script then calls the API with
 * the token; everything the page shows still comes through authenticated calls.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface PublicPage {
}
