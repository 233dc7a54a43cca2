"""Pages for the partnership's lead-agency routing rules, trying a draft case against them, and the htmx suggestion."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from agencies.selectors import agencies_in_partnership
from audit.services import Actor
from referrals import permissions
from referrals.forms.routing import RoutingFactsForm, RoutingRuleForm
from referrals.routing import interventions_named, rule_conditions
from referrals.selectors.routing import (
    routing_facts_for_draft,
    routing_rule_get,
    routing_rules_for_partnership,
    routing_suggest_for_facts,
)
from referrals.services import routing as services


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied("Your role may not do this.")


def _can_edit(request) -> bool:
    return permissions.can_edit_routing_rules(membership=request.membership, partnership=request.partnership)


def _errors_onto_form(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, messages_ in error.message_dict.items():
            for message in messages_:
                form.add_error(field if field in form.fields else None, message)
    else:
        for message in error.messages:
            form.add_error(None, message)


@require_GET
def routing_rule_list(request):
    _require(permissions.can_view_routing_rules(membership=request.membership, partnership=request.partnership))
    rules = list(routing_rules_for_partnership(partnership=request.partnership))
    rows = [
        {
            "rule": rule, "conditions": rule_conditions(rule), "interventions": interventions_named(rule.suggested_interventions),
            "is_first": i == 0, "is_last": i == len(rules) - 1,
        }
        for i, rule in enumerate(rules)
    ]
    return render(
        request,
        "referrals/routing/rule_list.html",
        {"rows": rows, "can_edit": _can_edit(request), "can_try": permissions.can_try_routing(membership=request.membership, partnership=request.partnership)},
    )


@require_http_methods(["GET", "POST"])
def routing_rule_create(request):
    _require(_can_edit(request))
    agencies = agencies_in_partnership(partnership=request.partnership)
    rules = routing_rules_for_partnership(partnership=request.partnership)
    form = RoutingRuleForm(request.POST or None, agencies=agencies, rules=rules)
    if request.method == "POST" and form.is_valid():
        try:
            rule = services.routing_rule_create(actor=Actor.from_request(request), partnership=request.partnership, **form.service_values())
        except ValidationError as error:
            _errors_onto_form(form, error)
        else:
            messages.success(request, f"Rule {rule.priority} ({rule.name}) added.")
            return redirect("routing_rule_list")
    return render(request, "referrals/routing/rule_form.html", {"form": form, "rule": None})


@require_http_methods(["GET", "POST"])
def routing_rule_edit(request, pk):
    _require(_can_edit(request))
    rule = routing_rule_get(partnership=request.partnership, pk=pk)
    agencies = agencies_in_partnership(partnership=request.partnership)
    if request.method == "POST":
        form = RoutingRuleForm(request.POST, agencies=agencies, editing=True)
    else:
        form = RoutingRuleForm(initial=RoutingRuleForm.initial_for(rule), agencies=agencies, editing=True)
    if request.method == "POST" and form.is_valid():
        try:
            rule = services.routing_rule_update(actor=Actor.from_request(request), rule=rule, **form.service_values())
        except ValidationError as error:
            _errors_onto_form(form, error)
        else:
            messages.success(request, f"Rule {rule.priority} ({rule.name}) saved.")
            return redirect("routing_rule_list")
    return render(request, "referrals/routing/rule_form.html", {"form": form, "rule": rule})


@require_POST
def routing_rule_move(request, pk):
    _require(_can_edit(request))
    rule = routing_rule_get(partnership=request.partnership, pk=pk)
    direction = request.POST.get("direction", "")
    try:
        moved = services.routing_rule_move(actor=Actor.from_request(request), rule=rule, direction=direction)
    except ValidationError:
        messages.error(request, "Choose whether to move the rule up or down.")
    else:
        messages.success(request, f"'{moved.name}' is now rule {moved.priority}.")
    return redirect("routing_rule_list")


@require_POST
def routing_rule_active(request, pk):
    _require(_can_edit(request))
    rule = routing_rule_get(partnership=request.partnership, pk=pk)
    is_active = request.POST.get("is_active") == "yes"
    rule = services.routing_rule_set_active(actor=Actor.from_request(request), rule=rule, is_active=is_active)
    messages.success(request, f"Rule {rule.priority} ({rule.name}) is {'back in use' if is_active else 'out of use'}.")
    return redirect("routing_rule_list")


def _suggestion_for(request, form):
    if not form.is_valid():
        return None
    facts = routing_facts_for_draft(**form.cleaned_data)
    return routing_suggest_for_facts(request.partnership, facts)


@require_GET
def routing_try(request):
    """Try a draft case against the rules: nothing is saved."""
    _require(permissions.can_try_routing(membership=request.membership, partnership=request.partnership))
    form = RoutingFactsForm(request.GET or None)
    suggestion = _suggestion_for(request, form) if request.GET else None
    return render(request, "referrals/routing/try.html", {"form": form, "suggestion": suggestion})


@require_GET
def routing_suggest(request):
    """The htmx partial for the case-open page: which rule the facts typed so far fall under."""
    _require(permissions.can_ask_routing_suggestion(membership=request.membership, partnership=request.partnership))
    form = RoutingFactsForm(request.GET)
    suggestion = _suggestion_for(request, form)
    return render(request, "referrals/includes/routing_suggestion.html", {"suggestion": suggestion, "facts_form": form})
