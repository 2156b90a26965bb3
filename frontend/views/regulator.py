"""Pages (being built)."""

from django.http import HttpResponse


def compliance(request, **kwargs):
    return HttpResponse("todo")


def declined(request, **kwargs):
    return HttpResponse("todo")


def provider_detail(request, **kwargs):
    return HttpResponse("todo")


def provider_verify(request, **kwargs):
    return HttpResponse("todo")


def providers(request, **kwargs):
    return HttpResponse("todo")


def review_decide(request, **kwargs):
    return HttpResponse("todo")


def reviews(request, **kwargs):
    return HttpResponse("todo")


def reviews_decide_compliant(request, **kwargs):
    return HttpResponse("todo")


def reviews_open(request, **kwargs):
    return HttpResponse("todo")


def rules(request, **kwargs):
    return HttpResponse("todo")
