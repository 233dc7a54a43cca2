from django.shortcuts import render


def ping(request):
    """The lightest signed-in page: what every page pays (session, user, acting membership, the layout) and nothing
    else. The benchmark's floor."""
    return render(request, "scale/ping.html")
