def acting_membership(request):
    return {
        "acting_membership": getattr(request, "membership", None),
        "acting_memberships": getattr(request, "memberships", []),
    }
