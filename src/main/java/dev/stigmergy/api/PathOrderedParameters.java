package dev.stigmergy.api;

import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.Operation;
import org.eclipse.microprofile.openapi.models.PathItem;
import org.eclipse.microprofile.openapi.models.parameters.Parameter;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Lists each operation's path parameters in the order the path names them ({@code /entities/{kind}/{key}}: kind,
 * then key), then its other parameters in their order. SmallRye sorts parameters by name, and the SDKs are generated
 * from the spec alone, so without this their methods would take {@code (key, kind)} (issue 26).
 */
public class PathOrderedParameters implements OASFilter {

    @Override
    public void filterOpenAPI(OpenAPI openAPI) {
        if (openAPI.getPaths() == null || openAPI.getPaths().getPathItems() == null) {
            return;
        }
        for (Map.Entry<String, PathItem> path : openAPI.getPaths().getPathItems().entrySet()) {
            for (Operation operation : path.getValue().getOperations().values()) {
                List<Parameter> parameters = operation.getParameters();
                if (parameters != null && parameters.size() > 1) {
                    List<Parameter> ordered = new ArrayList<>(parameters);
                    // stable: the non-path parameters keep their order, after the path's
                    ordered.sort(Comparator.comparingInt(p -> position(path.getKey(), p)));
                    operation.setParameters(ordered);
                }
            }
        }
    }

    private static int position(String template, Parameter parameter) {
        if (parameter.getIn() != Parameter.In.PATH) {
            return Integer.MAX_VALUE;
        }
        int at = template.indexOf("{" + parameter.getName() + "}");
        return at < 0 ? Integer.MAX_VALUE - 1 : at;
    }
}
