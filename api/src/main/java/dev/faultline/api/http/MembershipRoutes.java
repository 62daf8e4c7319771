package dev.faultline.api.http;

import static dev.faultline.api.http.HttpApi.route;
import static dev.faultline.api.http.RequestBody.body;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.faultline.api.FailureKind;
import dev.faultline.api.Limits;
import dev.faultline.api.MembershipAdmin;
import dev.faultline.api.NodeAddress;
import dev.faultline.api.RefusalLog;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The membership routes under {@code /v1/admin/members} (see docs/API.md): list, add a learner,
 * promote, remove. Errors are answered by the {@link HttpApi} they belong to, with its fail/info
 * classification.
 */
final class MembershipRoutes {
  private static final String ROUTE_MEMBERS = "/v1/admin/members";
  private static final String ROUTE_MEMBER = "/v1/admin/members/{id}";
  private static final String ROUTE_PROMOTE = "/v1/admin/members/{id}/promote";
  private static final int MAX_ADMIN_BODY_BYTES = 4096;
  private static final java.util.regex.Pattern MEMBER_ID =
      java.util.regex.Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

  private final HttpApi api;
  private final MembershipAdmin admin;
  private final Limits limits;
  private final ObjectMapper json;

  MembershipRoutes(HttpApi api, MembershipAdmin admin, Limits limits, ObjectMapper json) {
    this.api = api;
    this.admin = admin;
    this.limits = limits;
    this.json = json;
  }

  void register(Javalin app) {
    app.get(ROUTE_MEMBERS, ctx -> admin(ctx, ROUTE_MEMBERS, admin::members));
    app.post(ROUTE_MEMBERS, this::addLearner);
    app.post(ROUTE_PROMOTE, ctx -> admin(ctx, ROUTE_PROMOTE, () -> admin.promote(memberId(ctx))));
    app.delete(ROUTE_MEMBER, ctx -> admin(ctx, ROUTE_MEMBER, () -> admin.remove(memberId(ctx))));
  }

  private void addLearner(Context ctx) {
    route(ctx, ROUTE_MEMBERS);
    byte[] body = body(ctx, MAX_ADMIN_BODY_BYTES, "member body");
    NodeAddress member = MemberRequest.parse(json, body, MEMBER_ID);
    admin(ctx, ROUTE_MEMBERS, () -> admin.addLearner(member));
  }

  private static String memberId(Context ctx) {
    String id = ctx.pathParam("id");
    if (!MEMBER_ID.matcher(id).matches()) {
      throw ApiError.badRequest(
          "member id '"
              + RefusalLog.oneLine(id.length() > 80 ? id.substring(0, 80) + "..." : id)
              + "' is not valid: use 1-64 letters, digits, '.', '_' or '-'");
    }
    return id;
  }

  /**
   * Runs one membership operation: 200 with the configuration once applied on the leader; a
   * follower redirects (307) to the leader like a write; the leader's refusal is 409.
   */
  private void admin(
      Context ctx, String route, Supplier<CompletableFuture<MembershipAdmin.Members>> call) {
    route(ctx, route);
    CompletableFuture<MembershipAdmin.Members> future;
    try {
      future = call.get().copy();
    } catch (ApiError e) {
      throw e;
    } catch (RuntimeException e) {
      future = CompletableFuture.failedFuture(e);
    }
    boolean read = ctx.method() == HandlerType.GET;
    CompletableFuture<MembershipAdmin.Members> bounded =
        future.orTimeout(limits.requestTimeout().toMillis(), TimeUnit.MILLISECONDS);
    ctx.future(
        () ->
            bounded.handle(
                (members, err) -> {
                  if (err == null) {
                    ctx.status(200).json(members);
                  } else {
                    Throwable cause = FailureKind.unwrap(err);
                    api.error(
                        ctx,
                        cause instanceof MembershipAdmin.Refused refused
                            ? new ApiError(409, refused.getMessage(), true, Map.of())
                            : api.failure(ctx, cause, read));
                  }
                  return null;
                }));
  }
}
