def navigation(request):
    """What the navigation may offer this person; the views check the same rights again."""
    user = request.user
    if not user.is_authenticated:
        return {}
    return {
        "nav": {
            "acknowledgements": user.has_perm("policies.view_team_acknowledgements")
            or user.has_perm("policies.view_all_acknowledgements"),
            "admin": user.is_staff,
        }
    }
