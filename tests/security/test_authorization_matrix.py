# ruff: noqa: E501 (the matrix is a table: one route per line, with its URL beside it)
"""The authorization matrix: every route of the URL resolver (pages, exports, API, admin) × method × persona
against an explicit table of expected statuses. A route missing from the table fails the suite, so no new
route ships without a scoping decision. GET never changes the database; every unsafe browser request needs
the CSRF token.

Personas (tests/conftest.py), in the order of each tuple: anonymous, Alice (county official of Alpha),
Carol (provincial official of Northland, Alpha's province), Dave (provincial official of Southland),
Erin (analyst), Frank (administrator). The objects are Alpha's (see `matrix_support.build_world`):
a draft of this month, a submitted report of February 2025 (approve/return), an approved one of March 2025
(reopen), Carol's uploaded file. Reading the table: 302 for anonymous is the redirect to the login page,
401 the API's answer without credentials; 404 is "outside your scope" (nothing revealed), 403 "your role
may not do this"; 405 a method the route does not take. Beyond GET and POST, every route is sent PUT, DELETE,
OPTIONS and an unknown verb: pages and the admin refuse them all with 405.
"""

import pytest
from django.apps import apps
from django.db import connection
from django.test import Client

from tests.security.matrix_support import (
    PERSONAS,
    all_routes,
    build_world,
    persona_clients,
    request_body,
    request_status,
)

# fmt: off
EXPECTED = {
    "healthz": {"GET": (200, 200, 200, 200, 200, 200), "POST": (405, 405, 405, 405, 405, 405)},  # /healthz
    "admin:index": {"GET": (302, 302, 302, 302, 302, 200), "POST": (302, 302, 302, 302, 302, 200)},  # /admin/
    "admin:login": {"GET": (200, 200, 200, 200, 200, 302), "POST": (200, 200, 200, 200, 200, 200)},  # /admin/login/
    "admin:logout": {"GET": (302, 302, 302, 302, 302, 405), "POST": (302, 302, 302, 302, 302, 302)},  # /admin/logout/
    "admin:password_change": {"GET": (302, 302, 302, 302, 302, 200), "POST": (302, 302, 302, 302, 302, 200)},  # /admin/password_change/
    "admin:password_change_done": {"GET": (302, 302, 302, 302, 302, 200), "POST": (302, 302, 302, 302, 302, 405)},  # /admin/password_change/done/
    "admin:autocomplete": {"GET": (302, 302, 302, 302, 302, 403), "POST": (302, 302, 302, 302, 302, 405)},  # /admin/autocomplete/
    "admin:jsi18n": {"GET": (302, 302, 302, 302, 302, 200), "POST": (302, 302, 302, 302, 302, 405)},  # /admin/jsi18n/
    "admin:view_on_site": {"GET": (302, 302, 302, 302, 302, 404), "POST": (302, 302, 302, 302, 302, 404)},  # /admin/r/1/1/
    "admin:auth_group_changelist": {"GET": (302, 302, 302, 302, 302, 200), "POST": (302, 302, 302, 302, 302, 200)},  # /admin/auth/group/
    "admin:auth_group_add": {"GET": (302, 302, 302, 302, 302, 200), "POST": (302, 302, 302, 302, 302, 200)},  # /admin/auth/group/add/
    "admin:auth_group_history": {"GET": (302, 302, 302, 302, 302, 200), "POST": (302, 302, 302, 302, 302, 200)},  # /admin/auth/group/1/history/
    "admin:auth_group_delete": {"GET": (302, 302, 302, 302, 302, 200), "POST": (302, 302, 302, 302, 302, 200)},  # /admin/auth/group/1/delete/
    "admin:auth_group_change": {"GET": (302, 302, 302, 302, 302, 200), "POST": (302, 302, 302, 302, 302, 200)},  # /admin/auth/group/1/change/
    "admin/auth/group/<path:object_id>/": {"GET": (302, 302, 302, 302, 302, 302), "POST": (302, 302, 302, 302, 302, 302)},  # /admin/auth/group/1/
    "admin:authtoken_tokenproxy_changelist": {"GET": (302, 302, 302, 302, 302, 200), "POST": (302, 302, 302, 302, 302, 200)},  # /admin/authtoken/tokenproxy/
    "admin:authtoken_tokenproxy_add": {"GET": (302, 302, 302, 302, 302, 200), "POST": (302, 302, 302, 302, 302, 200)},  # /admin/authtoken/tokenproxy/add/
    "admin:authtoken_tokenproxy_history": {"GET": (302, 302, 302, 302, 302, 200), "POST": (302, 302, 302, 302, 302, 200)},  # /admin/authtoken/tokenproxy/2/history/
    "admin:authtoken_tokenproxy_delete": {"GET": (302, 302, 302, 302, 302, 200), "POST": (302, 302, 302, 302, 302, 200)},  # /admin/authtoken/tokenproxy/2/delete/
    "admin:authtoken_tokenproxy_change": {"GET": (302, 302, 302, 302, 302, 200), "POST": (302, 302, 302, 302, 302, 200)},  # /admin/authtoken/tokenproxy/2/change/
    "admin/authtoken/tokenproxy/<path:object_id>/": {"GET": (302, 302, 302, 302, 302, 302), "POST": (302, 302, 302, 302, 302, 302)},  # /admin/authtoken/tokenproxy/1/
    "admin:axes_accessattempt_changelist": {"GET": (302, 302, 302, 302, 302, 200), "POST": (302, 302, 302, 302, 302, 200)},  # /admin/axes/accessattempt/
    "admin:axes_accessattempt_add": {"GET": (302, 302, 302, 302, 302, 403), "POST": (302, 302, 302, 302, 302, 403)},  # /admin/axes/accessattempt/add/
    "admin:axes_accessattempt_history": {"GET": (302, 302, 302, 302, 302, 200), "POST": (302, 302, 302, 302, 302, 200)},  # /admin/axes/accessattempt/1/history/
    "admin:axes_accessattempt_delete": {"GET": (302, 302, 302, 302, 302, 200), "POST": (302, 302, 302, 302, 302, 200)},  # /admin/axes/accessattempt/1/delete/
    "admin:axes_accessattempt_change": {"GET": (302, 302, 302, 302, 302, 200), "POST": (302, 302, 302, 302, 302, 302)},  # /admin/axes/accessattempt/1/change/
    "admin/axes/accessattempt/<path:object_id>/": {"GET": (302, 302, 302, 302, 302, 302), "POST": (302, 302, 302, 302, 302, 302)},  # /admin/axes/accessattempt/1/
    "admin:axes_accesslog_changelist": {"GET": (302, 302, 302, 302, 302, 200), "POST": (302, 302, 302, 302, 302, 200)},  # /admin/axes/accesslog/
    "admin:axes_accesslog_add": {"GET": (302, 302, 302, 302, 302, 403), "POST": (302, 302, 302, 302, 302, 403)},  # /admin/axes/accesslog/add/
    "admin:axes_accesslog_history": {"GET": (302, 302, 302, 302, 302, 200), "POST": (302, 302, 302, 302, 302, 200)},  # /admin/axes/accesslog/1/history/
    "admin:axes_accesslog_delete": {"GET": (302, 302, 302, 302, 302, 200), "POST": (302, 302, 302, 302, 302, 200)},  # /admin/axes/accesslog/1/delete/
    "admin:axes_accesslog_change": {"GET": (302, 302, 302, 302, 302, 200), "POST": (302, 302, 302, 302, 302, 302)},  # /admin/axes/accesslog/1/change/
    "admin/axes/accesslog/<path:object_id>/": {"GET": (302, 302, 302, 302, 302, 302), "POST": (302, 302, 302, 302, 302, 302)},  # /admin/axes/accesslog/1/
    "admin:axes_accessfailurelog_changelist": {"GET": (302, 302, 302, 302, 302, 200), "POST": (302, 302, 302, 302, 302, 200)},  # /admin/axes/accessfailurelog/
    "admin:axes_accessfailurelog_add": {"GET": (302, 302, 302, 302, 302, 403), "POST": (302, 302, 302, 302, 302, 403)},  # /admin/axes/accessfailurelog/add/
    "admin:axes_accessfailurelog_history": {"GET": (302, 302, 302, 302, 302, 200), "POST": (302, 302, 302, 302, 302, 200)},  # /admin/axes/accessfailurelog/1/history/
    "admin:axes_accessfailurelog_delete": {"GET": (302, 302, 302, 302, 302, 200), "POST": (302, 302, 302, 302, 302, 200)},  # /admin/axes/accessfailurelog/1/delete/
    "admin:axes_accessfailurelog_change": {"GET": (302, 302, 302, 302, 302, 200), "POST": (302, 302, 302, 302, 302, 302)},  # /admin/axes/accessfailurelog/1/change/
    "admin/axes/accessfailurelog/<path:object_id>/": {"GET": (302, 302, 302, 302, 302, 302), "POST": (302, 302, 302, 302, 302, 302)},  # /admin/axes/accessfailurelog/1/
    "admin:regional_province_changelist": {"GET": (302, 302, 302, 302, 302, 200), "POST": (302, 302, 302, 302, 302, 200)},  # /admin/regional/province/
    "admin:regional_province_add": {"GET": (302, 302, 302, 302, 302, 200), "POST": (302, 302, 302, 302, 302, 200)},  # /admin/regional/province/add/
    "admin:regional_province_history": {"GET": (302, 302, 302, 302, 302, 200), "POST": (302, 302, 302, 302, 302, 200)},  # /admin/regional/province/1/history/
    "admin:regional_province_delete": {"GET": (302, 302, 302, 302, 302, 200), "POST": (302, 302, 302, 302, 302, 200)},  # /admin/regional/province/1/delete/
    "admin:regional_province_change": {"GET": (302, 302, 302, 302, 302, 200), "POST": (302, 302, 302, 302, 302, 200)},  # /admin/regional/province/1/change/
    "admin/regional/province/<path:object_id>/": {"GET": (302, 302, 302, 302, 302, 302), "POST": (302, 302, 302, 302, 302, 302)},  # /admin/regional/province/1/
    "admin:regional_county_changelist": {"GET": (302, 302, 302, 302, 302, 200), "POST": (302, 302, 302, 302, 302, 200)},  # /admin/regional/county/
    "admin:regional_county_add": {"GET": (302, 302, 302, 302, 302, 200), "POST": (302, 302, 302, 302, 302, 200)},  # /admin/regional/county/add/
    "admin:regional_county_history": {"GET": (302, 302, 302, 302, 302, 200), "POST": (302, 302, 302, 302, 302, 200)},  # /admin/regional/county/1/history/
    "admin:regional_county_delete": {"GET": (302, 302, 302, 302, 302, 200), "POST": (302, 302, 302, 302, 302, 200)},  # /admin/regional/county/1/delete/
    "admin:regional_county_change": {"GET": (302, 302, 302, 302, 302, 200), "POST": (302, 302, 302, 302, 302, 200)},  # /admin/regional/county/1/change/
    "admin/regional/county/<path:object_id>/": {"GET": (302, 302, 302, 302, 302, 302), "POST": (302, 302, 302, 302, 302, 302)},  # /admin/regional/county/1/
    "admin:regional_programmeround_changelist": {"GET": (302, 302, 302, 302, 302, 200), "POST": (302, 302, 302, 302, 302, 200)},  # /admin/regional/programmeround/
    "admin:regional_programmeround_add": {"GET": (302, 302, 302, 302, 302, 200), "POST": (302, 302, 302, 302, 302, 200)},  # /admin/regional/programmeround/add/
    "admin:regional_programmeround_history": {"GET": (302, 302, 302, 302, 302, 200), "POST": (302, 302, 302, 302, 302, 200)},  # /admin/regional/programmeround/1/history/
    "admin:regional_programmeround_delete": {"GET": (302, 302, 302, 302, 302, 200), "POST": (302, 302, 302, 302, 302, 200)},  # /admin/regional/programmeround/1/delete/
    "admin:regional_programmeround_change": {"GET": (302, 302, 302, 302, 302, 200), "POST": (302, 302, 302, 302, 302, 200)},  # /admin/regional/programmeround/1/change/
    "admin/regional/programmeround/<path:object_id>/": {"GET": (302, 302, 302, 302, 302, 302), "POST": (302, 302, 302, 302, 302, 302)},  # /admin/regional/programmeround/1/
    "admin:regional_programmeslot_changelist": {"GET": (302, 302, 302, 302, 302, 200), "POST": (302, 302, 302, 302, 302, 200)},  # /admin/regional/programmeslot/
    "admin:regional_programmeslot_add": {"GET": (302, 302, 302, 302, 302, 200), "POST": (302, 302, 302, 302, 302, 200)},  # /admin/regional/programmeslot/add/
    "admin:regional_programmeslot_history": {"GET": (302, 302, 302, 302, 302, 200), "POST": (302, 302, 302, 302, 302, 200)},  # /admin/regional/programmeslot/1/history/
    "admin:regional_programmeslot_delete": {"GET": (302, 302, 302, 302, 302, 200), "POST": (302, 302, 302, 302, 302, 200)},  # /admin/regional/programmeslot/1/delete/
    "admin:regional_programmeslot_change": {"GET": (302, 302, 302, 302, 302, 200), "POST": (302, 302, 302, 302, 302, 200)},  # /admin/regional/programmeslot/1/change/
    "admin/regional/programmeslot/<path:object_id>/": {"GET": (302, 302, 302, 302, 302, 302), "POST": (302, 302, 302, 302, 302, 302)},  # /admin/regional/programmeslot/1/
    "admin:auth_user_password_change": {"GET": (302, 302, 302, 302, 302, 200), "POST": (302, 302, 302, 302, 302, 200)},  # /admin/regional/user/2/password/
    "admin:regional_user_changelist": {"GET": (302, 302, 302, 302, 302, 200), "POST": (302, 302, 302, 302, 302, 200)},  # /admin/regional/user/
    "admin:regional_user_add": {"GET": (302, 302, 302, 302, 302, 200), "POST": (302, 302, 302, 302, 302, 200)},  # /admin/regional/user/add/
    "admin:regional_user_history": {"GET": (302, 302, 302, 302, 302, 200), "POST": (302, 302, 302, 302, 302, 200)},  # /admin/regional/user/2/history/
    "admin:regional_user_delete": {"GET": (302, 302, 302, 302, 302, 200), "POST": (302, 302, 302, 302, 302, 200)},  # /admin/regional/user/2/delete/
    "admin:regional_user_change": {"GET": (302, 302, 302, 302, 302, 200), "POST": (302, 302, 302, 302, 302, 200)},  # /admin/regional/user/2/change/
    "admin/regional/user/<path:object_id>/": {"GET": (302, 302, 302, 302, 302, 302), "POST": (302, 302, 302, 302, 302, 302)},  # /admin/regional/user/1/
    "admin:regional_securityevent_changelist": {"GET": (302, 302, 302, 302, 302, 200), "POST": (302, 302, 302, 302, 302, 200)},  # /admin/regional/securityevent/
    "admin:regional_securityevent_add": {"GET": (302, 302, 302, 302, 302, 403), "POST": (302, 302, 302, 302, 302, 403)},  # /admin/regional/securityevent/add/
    "admin:regional_securityevent_history": {"GET": (302, 302, 302, 302, 302, 200), "POST": (302, 302, 302, 302, 302, 200)},  # /admin/regional/securityevent/1/history/
    "admin:regional_securityevent_delete": {"GET": (302, 302, 302, 302, 302, 403), "POST": (302, 302, 302, 302, 302, 403)},  # /admin/regional/securityevent/1/delete/
    "admin:regional_securityevent_change": {"GET": (302, 302, 302, 302, 302, 200), "POST": (302, 302, 302, 302, 302, 403)},  # /admin/regional/securityevent/1/change/
    "admin/regional/securityevent/<path:object_id>/": {"GET": (302, 302, 302, 302, 302, 302), "POST": (302, 302, 302, 302, 302, 302)},  # /admin/regional/securityevent/1/
    "admin:factories_factory_changelist": {"GET": (302, 302, 302, 302, 302, 200), "POST": (302, 302, 302, 302, 302, 200)},  # /admin/factories/factory/
    "admin:factories_factory_add": {"GET": (302, 302, 302, 302, 302, 200), "POST": (302, 302, 302, 302, 302, 200)},  # /admin/factories/factory/add/
    "admin:factories_factory_history": {"GET": (302, 302, 302, 302, 302, 200), "POST": (302, 302, 302, 302, 302, 200)},  # /admin/factories/factory/1/history/
    "admin:factories_factory_delete": {"GET": (302, 302, 302, 302, 302, 200), "POST": (302, 302, 302, 302, 302, 200)},  # /admin/factories/factory/1/delete/
    "admin:factories_factory_change": {"GET": (302, 302, 302, 302, 302, 200), "POST": (302, 302, 302, 302, 302, 200)},  # /admin/factories/factory/1/change/
    "admin/factories/factory/<path:object_id>/": {"GET": (302, 302, 302, 302, 302, 302), "POST": (302, 302, 302, 302, 302, 302)},  # /admin/factories/factory/1/
    "admin:factories_constructionmilestone_changelist": {"GET": (302, 302, 302, 302, 302, 200), "POST": (302, 302, 302, 302, 302, 200)},  # /admin/factories/constructionmilestone/
    "admin:factories_constructionmilestone_add": {"GET": (302, 302, 302, 302, 302, 200), "POST": (302, 302, 302, 302, 302, 200)},  # /admin/factories/constructionmilestone/add/
    "admin:factories_constructionmilestone_history": {"GET": (302, 302, 302, 302, 302, 200), "POST": (302, 302, 302, 302, 302, 200)},  # /admin/factories/constructionmilestone/1/history/
    "admin:factories_constructionmilestone_delete": {"GET": (302, 302, 302, 302, 302, 200), "POST": (302, 302, 302, 302, 302, 200)},  # /admin/factories/constructionmilestone/1/delete/
    "admin:factories_constructionmilestone_change": {"GET": (302, 302, 302, 302, 302, 200), "POST": (302, 302, 302, 302, 302, 200)},  # /admin/factories/constructionmilestone/1/change/
    "admin/factories/constructionmilestone/<path:object_id>/": {"GET": (302, 302, 302, 302, 302, 302), "POST": (302, 302, 302, 302, 302, 302)},  # /admin/factories/constructionmilestone/1/
    "admin:factories_facility_changelist": {"GET": (302, 302, 302, 302, 302, 200), "POST": (302, 302, 302, 302, 302, 200)},  # /admin/factories/facility/
    "admin:factories_facility_add": {"GET": (302, 302, 302, 302, 302, 200), "POST": (302, 302, 302, 302, 302, 200)},  # /admin/factories/facility/
    "admin:factories_facility_history": {"GET": (302, 302, 302, 302, 302, 200), "POST": (302, 302, 302, 302, 302, 200)},  # /admin/factories/facility/
    "admin:factories_facility_delete": {"GET": (302, 302, 302, 302, 302, 200), "POST": (302, 302, 302, 302, 302, 200)},  # /admin/factories/facility/
    "admin:factories_facility_change": {"GET": (302, 302, 302, 302, 302, 200), "POST": (302, 302, 302, 302, 302, 200)},  # /admin/factories/facility/
    "admin:factories_facility_simple_history": {"GET": (302, 302, 302, 302, 302, 200), "POST": (302, 302, 302, 302, 302, 200)},  # /admin/factories/facility/1/history/1/
    "admin/factories/facility/<path:object_id>/": {"GET": (302, 302, 302, 302, 302, 302), "POST": (302, 302, 302, 302, 302, 302)},  # /admin/factories/facility/1/
    "admin:factories_siteresponsibility_changelist": {"GET": (302, 302, 302, 302, 302, 200), "POST": (302, 302, 302, 302, 302, 200)},  # /admin/factories/siteresponsibility/
    "admin:factories_siteresponsibility_add": {"GET": (302, 302, 302, 302, 302, 200), "POST": (302, 302, 302, 302, 302, 200)},  # /admin/factories/siteresponsibility/
    "admin:factories_siteresponsibility_history": {"GET": (302, 302, 302, 302, 302, 200), "POST": (302, 302, 302, 302, 302, 200)},  # /admin/factories/siteresponsibility/
    "admin:factories_siteresponsibility_delete": {"GET": (302, 302, 302, 302, 302, 200), "POST": (302, 302, 302, 302, 302, 200)},  # /admin/factories/siteresponsibility/
    "admin:factories_siteresponsibility_change": {"GET": (302, 302, 302, 302, 302, 200), "POST": (302, 302, 302, 302, 302, 200)},  # /admin/factories/siteresponsibility/
    "admin:factories_siteresponsibility_simple_history": {"GET": (302, 302, 302, 302, 302, 200), "POST": (302, 302, 302, 302, 302, 200)},  # /admin/factories/siteresponsibility/1/history/1/
    "admin/factories/siteresponsibility/<path:object_id>/": {"GET": (302, 302, 302, 302, 302, 302), "POST": (302, 302, 302, 302, 302, 302)},  # /admin/factories/siteresponsibility/1/
    "admin:factories_rawmaterialbase_changelist": {"GET": (302, 302, 302, 302, 302, 200), "POST": (302, 302, 302, 302, 302, 200)},  # /admin/factories/rawmaterialbase/
    "admin:factories_rawmaterialbase_add": {"GET": (302, 302, 302, 302, 302, 200), "POST": (302, 302, 302, 302, 302, 200)},  # /admin/factories/rawmaterialbase/add/
    "admin:factories_rawmaterialbase_history": {"GET": (302, 302, 302, 302, 302, 200), "POST": (302, 302, 302, 302, 302, 200)},  # /admin/factories/rawmaterialbase/1/history/
    "admin:factories_rawmaterialbase_delete": {"GET": (302, 302, 302, 302, 302, 200), "POST": (302, 302, 302, 302, 302, 200)},  # /admin/factories/rawmaterialbase/1/delete/
    "admin:factories_rawmaterialbase_change": {"GET": (302, 302, 302, 302, 302, 200), "POST": (302, 302, 302, 302, 302, 200)},  # /admin/factories/rawmaterialbase/1/change/
    "admin/factories/rawmaterialbase/<path:object_id>/": {"GET": (302, 302, 302, 302, 302, 302), "POST": (302, 302, 302, 302, 302, 302)},  # /admin/factories/rawmaterialbase/1/
    "admin:factories_annualplan_changelist": {"GET": (302, 302, 302, 302, 302, 200), "POST": (302, 302, 302, 302, 302, 200)},  # /admin/factories/annualplan/
    "admin:factories_annualplan_add": {"GET": (302, 302, 302, 302, 302, 200), "POST": (302, 302, 302, 302, 302, 200)},  # /admin/factories/annualplan/add/
    "admin:factories_annualplan_history": {"GET": (302, 302, 302, 302, 302, 200), "POST": (302, 302, 302, 302, 302, 200)},  # /admin/factories/annualplan/1/history/
    "admin:factories_annualplan_delete": {"GET": (302, 302, 302, 302, 302, 200), "POST": (302, 302, 302, 302, 302, 200)},  # /admin/factories/annualplan/1/delete/
    "admin:factories_annualplan_change": {"GET": (302, 302, 302, 302, 302, 200), "POST": (302, 302, 302, 302, 302, 200)},  # /admin/factories/annualplan/1/change/
    "admin/factories/annualplan/<path:object_id>/": {"GET": (302, 302, 302, 302, 302, 302), "POST": (302, 302, 302, 302, 302, 302)},  # /admin/factories/annualplan/1/
    "admin:factories_monthlyplan_changelist": {"GET": (302, 302, 302, 302, 302, 200), "POST": (302, 302, 302, 302, 302, 200)},  # /admin/factories/monthlyplan/
    "admin:factories_monthlyplan_add": {"GET": (302, 302, 302, 302, 302, 200), "POST": (302, 302, 302, 302, 302, 200)},  # /admin/factories/monthlyplan/add/
    "admin:factories_monthlyplan_history": {"GET": (302, 302, 302, 302, 302, 200), "POST": (302, 302, 302, 302, 302, 200)},  # /admin/factories/monthlyplan/1/history/
    "admin:factories_monthlyplan_delete": {"GET": (302, 302, 302, 302, 302, 200), "POST": (302, 302, 302, 302, 302, 200)},  # /admin/factories/monthlyplan/1/delete/
    "admin:factories_monthlyplan_change": {"GET": (302, 302, 302, 302, 302, 200), "POST": (302, 302, 302, 302, 302, 200)},  # /admin/factories/monthlyplan/1/change/
    "admin/factories/monthlyplan/<path:object_id>/": {"GET": (302, 302, 302, 302, 302, 302), "POST": (302, 302, 302, 302, 302, 302)},  # /admin/factories/monthlyplan/1/
    "admin:factories_monthlyreport_simple_history": {"GET": (302, 302, 302, 302, 302, 200), "POST": (302, 302, 302, 302, 302, 403)},  # /admin/factories/monthlyreport/3/history/3/
    "admin:factories_monthlyreport_changelist": {"GET": (302, 302, 302, 302, 302, 200), "POST": (302, 302, 302, 302, 302, 200)},  # /admin/factories/monthlyreport/
    "admin:factories_monthlyreport_add": {"GET": (302, 302, 302, 302, 302, 403), "POST": (302, 302, 302, 302, 302, 403)},  # /admin/factories/monthlyreport/add/
    "admin:factories_monthlyreport_history": {"GET": (302, 302, 302, 302, 302, 200), "POST": (302, 302, 302, 302, 302, 200)},  # /admin/factories/monthlyreport/3/history/
    "admin:factories_monthlyreport_delete": {"GET": (302, 302, 302, 302, 302, 403), "POST": (302, 302, 302, 302, 302, 403)},  # /admin/factories/monthlyreport/3/delete/
    "admin:factories_monthlyreport_change": {"GET": (302, 302, 302, 302, 302, 200), "POST": (302, 302, 302, 302, 302, 403)},  # /admin/factories/monthlyreport/3/change/
    "admin/factories/monthlyreport/<path:object_id>/": {"GET": (302, 302, 302, 302, 302, 302), "POST": (302, 302, 302, 302, 302, 302)},  # /admin/factories/monthlyreport/1/
    "admin:factories_lateentrygrant_changelist": {"GET": (302, 302, 302, 302, 302, 200), "POST": (302, 302, 302, 302, 302, 200)},  # /admin/factories/lateentrygrant/
    "admin:factories_lateentrygrant_add": {"GET": (302, 302, 302, 302, 302, 403), "POST": (302, 302, 302, 302, 302, 403)},  # /admin/factories/lateentrygrant/add/
    "admin:factories_lateentrygrant_history": {"GET": (302, 302, 302, 302, 302, 200), "POST": (302, 302, 302, 302, 302, 200)},  # /admin/factories/lateentrygrant/1/history/
    "admin:factories_lateentrygrant_delete": {"GET": (302, 302, 302, 302, 302, 403), "POST": (302, 302, 302, 302, 302, 403)},  # /admin/factories/lateentrygrant/1/delete/
    "admin:factories_lateentrygrant_change": {"GET": (302, 302, 302, 302, 302, 200), "POST": (302, 302, 302, 302, 302, 403)},  # /admin/factories/lateentrygrant/1/change/
    "admin/factories/lateentrygrant/<path:object_id>/": {"GET": (302, 302, 302, 302, 302, 302), "POST": (302, 302, 302, 302, 302, 302)},  # /admin/factories/lateentrygrant/1/
    "admin:factories_reportevent_changelist": {"GET": (302, 302, 302, 302, 302, 200), "POST": (302, 302, 302, 302, 302, 200)},  # /admin/factories/reportevent/
    "admin:factories_reportevent_add": {"GET": (302, 302, 302, 302, 302, 403), "POST": (302, 302, 302, 302, 302, 403)},  # /admin/factories/reportevent/add/
    "admin:factories_reportevent_history": {"GET": (302, 302, 302, 302, 302, 200), "POST": (302, 302, 302, 302, 302, 200)},  # /admin/factories/reportevent/1/history/
    "admin:factories_reportevent_delete": {"GET": (302, 302, 302, 302, 302, 403), "POST": (302, 302, 302, 302, 302, 403)},  # /admin/factories/reportevent/1/delete/
    "admin:factories_reportevent_change": {"GET": (302, 302, 302, 302, 302, 200), "POST": (302, 302, 302, 302, 302, 403)},  # /admin/factories/reportevent/1/change/
    "admin/factories/reportevent/<path:object_id>/": {"GET": (302, 302, 302, 302, 302, 302), "POST": (302, 302, 302, 302, 302, 302)},  # /admin/factories/reportevent/1/
    "admin:factories_reportimport_changelist": {"GET": (302, 302, 302, 302, 302, 200), "POST": (302, 302, 302, 302, 302, 200)},  # /admin/factories/reportimport/
    "admin:factories_reportimport_add": {"GET": (302, 302, 302, 302, 302, 403), "POST": (302, 302, 302, 302, 302, 403)},  # /admin/factories/reportimport/add/
    "admin:factories_reportimport_history": {"GET": (302, 302, 302, 302, 302, 302), "POST": (302, 302, 302, 302, 302, 302)},  # /admin/factories/reportimport/1/history/
    "admin:factories_reportimport_delete": {"GET": (302, 302, 302, 302, 302, 302), "POST": (302, 302, 302, 302, 302, 302)},  # /admin/factories/reportimport/1/delete/
    "admin:factories_reportimport_change": {"GET": (302, 302, 302, 302, 302, 302), "POST": (302, 302, 302, 302, 302, 302)},  # /admin/factories/reportimport/1/change/
    "admin/factories/reportimport/<path:object_id>/": {"GET": (302, 302, 302, 302, 302, 302), "POST": (302, 302, 302, 302, 302, 302)},  # /admin/factories/reportimport/1/
    "admin:standings_methodology_changelist": {"GET": (302, 302, 302, 302, 302, 200), "POST": (302, 302, 302, 302, 302, 200)},  # /admin/standings/methodology/
    "admin:standings_methodology_add": {"GET": (302, 302, 302, 302, 302, 200), "POST": (302, 302, 302, 302, 302, 200)},  # /admin/standings/methodology/add/
    "admin:standings_methodology_history": {"GET": (302, 302, 302, 302, 302, 200), "POST": (302, 302, 302, 302, 302, 200)},  # /admin/standings/methodology/1/history/
    "admin:standings_methodology_delete": {"GET": (302, 302, 302, 302, 302, 403), "POST": (302, 302, 302, 302, 302, 403)},  # /admin/standings/methodology/1/delete/
    "admin:standings_methodology_change": {"GET": (302, 302, 302, 302, 302, 200), "POST": (302, 302, 302, 302, 302, 403)},  # /admin/standings/methodology/1/change/
    "admin/standings/methodology/<path:object_id>/": {"GET": (302, 302, 302, 302, 302, 302), "POST": (302, 302, 302, 302, 302, 302)},  # /admin/standings/methodology/1/
    "admin:standings_standingsrun_changelist": {"GET": (302, 302, 302, 302, 302, 200), "POST": (302, 302, 302, 302, 302, 200)},  # /admin/standings/standingsrun/
    "admin:standings_standingsrun_add": {"GET": (302, 302, 302, 302, 302, 403), "POST": (302, 302, 302, 302, 302, 403)},  # /admin/standings/standingsrun/add/
    "admin:standings_standingsrun_history": {"GET": (302, 302, 302, 302, 302, 200), "POST": (302, 302, 302, 302, 302, 200)},  # /admin/standings/standingsrun/1/history/
    "admin:standings_standingsrun_delete": {"GET": (302, 302, 302, 302, 302, 403), "POST": (302, 302, 302, 302, 302, 403)},  # /admin/standings/standingsrun/1/delete/
    "admin:standings_standingsrun_change": {"GET": (302, 302, 302, 302, 302, 200), "POST": (302, 302, 302, 302, 302, 403)},  # /admin/standings/standingsrun/1/change/
    "admin/standings/standingsrun/<path:object_id>/": {"GET": (302, 302, 302, 302, 302, 302), "POST": (302, 302, 302, 302, 302, 302)},  # /admin/standings/standingsrun/1/
    "admin:standings_recomputerequest_changelist": {"GET": (302, 302, 302, 302, 302, 200), "POST": (302, 302, 302, 302, 302, 200)},  # /admin/standings/recomputerequest/
    "admin:standings_recomputerequest_add": {"GET": (302, 302, 302, 302, 302, 403), "POST": (302, 302, 302, 302, 302, 403)},  # /admin/standings/recomputerequest/add/
    "admin:standings_recomputerequest_history": {"GET": (302, 302, 302, 302, 302, 200), "POST": (302, 302, 302, 302, 302, 200)},  # /admin/standings/recomputerequest/1/history/
    "admin:standings_recomputerequest_delete": {"GET": (302, 302, 302, 302, 302, 403), "POST": (302, 302, 302, 302, 302, 403)},  # /admin/standings/recomputerequest/1/delete/
    "admin:standings_recomputerequest_change": {"GET": (302, 302, 302, 302, 302, 200), "POST": (302, 302, 302, 302, 302, 403)},  # /admin/standings/recomputerequest/1/change/
    "admin/standings/recomputerequest/<path:object_id>/": {"GET": (302, 302, 302, 302, 302, 302), "POST": (302, 302, 302, 302, 302, 302)},  # /admin/standings/recomputerequest/1/
    "admin:app_list": {"GET": (302, 302, 302, 302, 302, 200), "POST": (302, 302, 302, 302, 302, 200)},  # /admin/regional/
    "admin/(?P<url>.*)$": {"GET": (302, 302, 302, 302, 302, 404), "POST": (302, 302, 302, 302, 302, 404)},  # /admin/no-such-page/
    "api:api-root": {"GET": (200, 200, 200, 200, 200, 200), "POST": (405, 405, 405, 405, 405, 405)},  # /api/v1/
    "api:token-obtain": {"GET": (405, 405, 405, 405, 405, 405), "POST": (400, 400, 400, 400, 400, 400)},  # /api/v1/auth/token/
    "api:me": {"GET": (401, 200, 200, 200, 200, 200), "POST": (401, 405, 405, 405, 405, 405)},  # /api/v1/auth/me/
    "api:run-standings": {"GET": (401, 200, 200, 200, 200, 200), "POST": (401, 405, 405, 405, 405, 405)},  # /api/v1/standings/runs/1/standings/
    "api:county-standings": {"GET": (401, 200, 200, 200, 200, 200), "POST": (401, 405, 405, 405, 405, 405)},  # /api/v1/counties/kp-northland-alpha/standings/
    "api:province-list": {"GET": (401, 200, 200, 200, 200, 200), "POST": (401, 405, 405, 405, 405, 405)},  # /api/v1/provinces/
    "api:province-detail": {"GET": (401, 200, 200, 200, 200, 200), "POST": (401, 405, 405, 405, 405, 405)},  # /api/v1/provinces/KP-61/
    "api:county-list": {"GET": (401, 200, 200, 200, 200, 200), "POST": (401, 405, 405, 405, 405, 405)},  # /api/v1/counties/
    "api:county-detail": {"GET": (401, 200, 200, 200, 200, 200), "POST": (401, 405, 405, 405, 405, 405)},  # /api/v1/counties/kp-northland-alpha/
    "api:programme-round-list": {"GET": (401, 200, 200, 200, 200, 200), "POST": (401, 405, 405, 405, 405, 405)},  # /api/v1/rounds/
    "api:programme-round-detail": {"GET": (401, 200, 200, 200, 200, 200), "POST": (401, 405, 405, 405, 405, 405)},  # /api/v1/rounds/2024/
    "api:programme-slot-list": {"GET": (401, 200, 200, 200, 200, 200), "POST": (401, 405, 405, 405, 405, 405)},  # /api/v1/slots/
    "api:programme-slot-detail": {"GET": (401, 200, 200, 200, 200, 200), "POST": (401, 405, 405, 405, 405, 405)},  # /api/v1/slots/1/
    "api:factory-list": {"GET": (401, 200, 200, 200, 200, 200), "POST": (401, 405, 405, 405, 405, 405)},  # /api/v1/factories/
    "api:factory-detail": {"GET": (401, 200, 200, 200, 200, 200), "POST": (401, 405, 405, 405, 405, 405)},  # /api/v1/factories/alpha-foodstuff/
    "api:milestone-list": {"GET": (401, 200, 200, 200, 200, 200), "POST": (401, 405, 405, 405, 405, 405)},  # /api/v1/milestones/
    "api:milestone-detail": {"GET": (401, 200, 200, 200, 200, 200), "POST": (401, 405, 405, 405, 405, 405)},  # /api/v1/milestones/1/
    "api:facility-list": {"GET": (401, 200, 200, 200, 200, 200), "POST": (401, 405, 405, 405, 405, 405)},  # /api/v1/facilities/
    "api:facility-detail": {"GET": (401, 200, 200, 200, 200, 200), "POST": (401, 405, 405, 405, 405, 405)},  # /api/v1/facilities/1/
    "api:site-responsibility-list": {"GET": (401, 200, 200, 200, 200, 200), "POST": (401, 405, 405, 405, 405, 405)},  # /api/v1/site-responsibilities/
    "api:site-responsibility-detail": {"GET": (401, 200, 200, 200, 200, 200), "POST": (401, 405, 405, 405, 405, 405)},  # /api/v1/site-responsibilities/1/
    "api:raw-material-year-list": {"GET": (401, 200, 200, 200, 200, 200), "POST": (401, 405, 405, 405, 405, 405)},  # /api/v1/raw-material-years/
    "api:raw-material-year-detail": {"GET": (401, 200, 200, 200, 200, 200), "POST": (401, 405, 405, 405, 405, 405)},  # /api/v1/raw-material-years/1/
    "api:review": {"GET": (401, 403, 200, 403, 200, 200), "POST": (401, 405, 405, 405, 405, 405)},  # /api/v1/reviews/2024/half/KP-61/
    "api:raw-material-base-list": {"GET": (401, 200, 200, 200, 200, 200), "POST": (401, 405, 405, 405, 405, 405)},  # /api/v1/raw-material-bases/
    "api:raw-material-base-detail": {"GET": (401, 200, 200, 200, 200, 200), "POST": (401, 405, 405, 405, 405, 405)},  # /api/v1/raw-material-bases/1/
    "api:annual-plan-list": {"GET": (401, 200, 200, 200, 200, 200), "POST": (401, 405, 405, 405, 405, 405)},  # /api/v1/annual-plans/
    "api:annual-plan-detail": {"GET": (401, 200, 200, 404, 200, 200), "POST": (401, 405, 405, 405, 405, 405)},  # /api/v1/annual-plans/1/
    "api:report-list": {"GET": (401, 200, 200, 200, 200, 200), "POST": (401, 409, 403, 403, 403, 403)},  # /api/v1/reports/
    "api:report-detail": {"GET": (401, 200, 200, 404, 404, 200), "POST": (401, 405, 405, 405, 405, 405), "PATCH": (401, 200, 403, 404, 404, 403)},  # /api/v1/reports/1/
    "api:report-approve": {"GET": (401, 405, 405, 405, 405, 405), "POST": (401, 403, 200, 404, 404, 403)},  # /api/v1/reports/2/approve/
    "api:report-return-to-county": {"GET": (401, 405, 405, 405, 405, 405), "POST": (401, 403, 200, 404, 404, 403)},  # /api/v1/reports/2/return/
    "api:report-submit": {"GET": (401, 405, 405, 405, 405, 405), "POST": (401, 400, 403, 404, 404, 403)},  # /api/v1/reports/1/submit/
    # The submitted report is of a closed month: the county's recall is a 400 that says why.
    "api:report-recall": {"GET": (401, 405, 405, 405, 405, 405), "POST": (401, 400, 403, 404, 404, 403)},  # /api/v1/reports/2/recall/
    "api:standings-run-list": {"GET": (401, 200, 200, 200, 200, 200), "POST": (401, 405, 405, 405, 405, 405)},  # /api/v1/standings/runs/
    "api:standings-run-detail": {"GET": (401, 200, 200, 200, 200, 200), "POST": (401, 405, 405, 405, 405, 405)},  # /api/v1/standings/runs/1/
    "api:analytics": {"GET": (401, 200, 200, 200, 200, 200), "POST": (401, 405, 405, 405, 405, 405)},  # /api/v1/analytics/
    "api:schema": {"GET": (200, 200, 200, 200, 200, 200), "POST": (405, 405, 405, 405, 405, 405)},  # /api/schema/
    "api:docs": {"GET": (200, 200, 200, 200, 200, 200), "POST": (405, 405, 405, 405, 405, 405)},  # /api/docs/
    "api:redoc": {"GET": (200, 200, 200, 200, 200, 200), "POST": (405, 405, 405, 405, 405, 405)},  # /api/redoc/
    "api/^": {"GET": (404, 404, 404, 404, 404, 404), "POST": (404, 404, 404, 404, 404, 404)},  # /api/
    "set_language": {"GET": (302, 302, 302, 302, 302, 302), "POST": (302, 302, 302, 302, 302, 302)},  # /i18n/setlang/
    "notifications:inbox": {"GET": (302, 200, 200, 200, 200, 200), "POST": (302, 405, 405, 405, 405, 405)},  # /notifications/
    "notifications:bell": {"GET": (302, 200, 200, 200, 200, 200), "POST": (302, 405, 405, 405, 405, 405)},  # /notifications/bell/
    "notifications:mark_all_read": {"GET": (302, 405, 405, 405, 405, 405), "POST": (302, 302, 302, 302, 302, 302)},  # /notifications/read-all/
    "notifications:preferences": {"GET": (302, 200, 200, 200, 200, 200), "POST": (302, 200, 200, 200, 200, 200)},  # /notifications/preferences/
    "notifications:open": {"GET": (302, 405, 405, 405, 405, 405), "POST": (302, 302, 404, 404, 404, 404)},  # /notifications/1/open/ (Alice's)
    "reports:offline_service_worker": {"GET": (200, 200, 200, 200, 200, 200), "POST": (405, 405, 405, 405, 405, 405)},  # /reports/offline-sw.js (no data in it)
    "search": {"GET": (302, 200, 200, 200, 200, 200), "POST": (302, 405, 405, 405, 405, 405)},  # /search/
    "factory_detail": {"GET": (302, 200, 200, 200, 200, 200), "POST": (302, 405, 405, 405, 405, 405)},  # /factories/alpha-foodstuff/
    "pivot": {"GET": (302, 200, 200, 200, 200, 200), "POST": (302, 405, 405, 405, 405, 405)},  # /explore/
    "map": {"GET": (302, 200, 200, 200, 200, 200), "POST": (302, 405, 405, 405, 405, 405)},  # /explore/map/
    "reports:this_month": {"GET": (302, 200, 403, 403, 403, 403), "POST": (302, 405, 405, 405, 405, 405)},  # /reports/this-month/
    "reports:report_entry_check": {"GET": (302, 405, 405, 405, 405, 405), "POST": (302, 200, 403, 403, 403, 403)},  # /reports/enter/alpha-foodstuff/2026-11/check/
    "reports:report_entry": {"GET": (302, 200, 403, 403, 403, 403), "POST": (302, 400, 403, 403, 403, 403)},  # /reports/enter/alpha-foodstuff/2026-11/
    "reports:review_queue": {"GET": (302, 403, 200, 200, 403, 403), "POST": (302, 405, 405, 405, 405, 405)},  # /reports/review/
    "reports:review_bulk_approve": {"GET": (302, 405, 405, 405, 405, 405), "POST": (302, 403, 302, 302, 403, 403)},  # /reports/review/approve/
    "reports:review_return_form": {"GET": (302, 403, 200, 404, 403, 403), "POST": (302, 405, 405, 405, 405, 405)},  # /reports/review/2/return-form/
    "reports:completeness": {"GET": (302, 403, 200, 200, 200, 200), "POST": (302, 405, 405, 405, 405, 405)},  # /reports/completeness/
    "reports:report_import": {"GET": (302, 403, 200, 200, 403, 200), "POST": (302, 403, 400, 400, 403, 400)},  # /reports/import/
    "reports:report_import_template": {"GET": (302, 403, 200, 200, 403, 200), "POST": (302, 405, 405, 405, 405, 405)},  # /reports/import/template.csv
    "reports:report_import_template_xlsx": {"GET": (302, 403, 200, 200, 403, 200), "POST": (302, 405, 405, 405, 405, 405)},  # /reports/import/template.xlsx
    "reports:report_recall": {"GET": (302, 405, 405, 405, 405, 405), "POST": (302, 302, 403, 404, 404, 403)},  # /reports/2/recall/
    "reports:report_import_commit": {"GET": (302, 405, 405, 405, 405, 405), "POST": (302, 403, 400, 404, 403, 404)},  # /reports/import/1/commit/
    "reports:report_export_csv": {"GET": (302, 200, 200, 200, 200, 200), "POST": (302, 405, 405, 405, 405, 405)},  # /reports/export.csv
    "reports:report_export_xlsx": {"GET": (302, 200, 200, 200, 200, 200), "POST": (302, 405, 405, 405, 405, 405)},  # /reports/export.xlsx
    "reports:report_export_status": {"GET": (302, 404, 200, 404, 404, 404), "POST": (302, 405, 405, 405, 405, 405)},  # /reports/exports/1/
    "reports:report_export_download": {"GET": (302, 404, 200, 404, 404, 404), "POST": (302, 405, 405, 405, 405, 405)},  # /reports/exports/1/download/
    "reports:report_detail": {"GET": (302, 200, 200, 404, 404, 200), "POST": (302, 405, 405, 405, 405, 405)},  # /reports/1/
    "reports:report_approve": {"GET": (302, 405, 405, 405, 405, 405), "POST": (302, 403, 302, 404, 404, 403)},  # /reports/2/approve/
    "reports:report_return": {"GET": (302, 405, 405, 405, 405, 405), "POST": (302, 403, 302, 404, 404, 403)},  # /reports/2/return/
    "reports:late_entry_reopen": {"GET": (302, 403, 403, 403, 403, 200), "POST": (302, 403, 403, 403, 403, 302)},  # /reports/late-entry/alpha-foodstuff/2025-04/
    "reports:report_reopen": {"GET": (302, 405, 405, 405, 405, 405), "POST": (302, 403, 403, 404, 403, 302)},  # /reports/3/reopen/
    "reports:report_list": {"GET": (302, 200, 200, 200, 200, 200), "POST": (302, 405, 405, 405, 405, 405)},  # /reports/list/
    "reports/": {"GET": (302, 302, 302, 302, 302, 302), "POST": (302, 302, 302, 302, 302, 302)},  # /reports/
    "standings:national": {"GET": (302, 200, 200, 200, 200, 200), "POST": (302, 405, 405, 405, 405, 405)},  # /standings/
    "standings:province": {"GET": (302, 200, 200, 200, 200, 200), "POST": (302, 405, 405, 405, 405, 405)},  # /standings/provinces/KP-61/
    "standings:county": {"GET": (302, 200, 200, 200, 200, 200), "POST": (302, 405, 405, 405, 405, 405)},  # /standings/counties/kp-northland-alpha/
    "standings:runs": {"GET": (302, 200, 200, 200, 200, 200), "POST": (302, 405, 405, 405, 405, 405)},  # /standings/runs/
    "standings:trace": {"GET": (302, 200, 200, 200, 200, 200), "POST": (302, 405, 405, 405, 405, 405)},  # /standings/runs/1/counties/kp-northland-alpha/plan_fulfilment/
    "standings:run_compare": {"GET": (302, 302, 302, 302, 302, 302), "POST": (302, 405, 405, 405, 405, 405)},  # /standings/runs/compare/
    "standings:recompute": {"GET": (302, 405, 405, 405, 405, 405), "POST": (302, 403, 403, 403, 403, 302)},  # /standings/runs/recompute/
    "standings:recompute_progress": {"GET": (302, 403, 403, 403, 403, 200), "POST": (302, 405, 405, 405, 405, 405)},  # /standings/runs/progress/
    "home": {"GET": (302, 200, 200, 200, 200, 200), "POST": (302, 405, 405, 405, 405, 405)},  # /
    "programme": {"GET": (302, 200, 200, 200, 200, 200), "POST": (302, 405, 405, 405, 405, 405)},  # /programme/
    "schedule": {"GET": (302, 200, 200, 200, 200, 200), "POST": (302, 405, 405, 405, 405, 405)},  # /schedule/
    "county_list": {"GET": (302, 200, 200, 200, 200, 200), "POST": (302, 405, 405, 405, 405, 405)},  # /counties/
    "county_detail": {"GET": (302, 200, 200, 200, 200, 200), "POST": (302, 405, 405, 405, 405, 405)},  # /counties/kp-northland-alpha/
    "province_detail": {"GET": (302, 200, 200, 200, 200, 200), "POST": (302, 405, 405, 405, 405, 405)},  # /provinces/KP-61/
    "sites:board": {"GET": (302, 200, 200, 200, 200, 200), "POST": (302, 405, 405, 405, 405, 405)},  # /sites/
    "sites:board_year": {"GET": (302, 200, 200, 200, 200, 200), "POST": (302, 405, 405, 405, 405, 405)},  # /sites/round/2024/
    "sites:site_detail": {"GET": (302, 200, 200, 200, 200, 200), "POST": (302, 405, 405, 405, 405, 405)},  # /sites/kp-northland-alpha/
    "sites:missing_facts": {"GET": (302, 403, 403, 403, 403, 200), "POST": (302, 403, 403, 403, 403, 404)},  # /sites/missing-facts/
    "sites:review_index": {"GET": (302, 403, 200, 200, 200, 200), "POST": (302, 405, 405, 405, 405, 405)},  # /sites/reviews/
    "sites:review_generate": {"GET": (302, 405, 405, 405, 405, 405), "POST": (302, 403, 403, 403, 302, 302)},  # /sites/reviews/national/
    "sites:review_document": {"GET": (302, 404, 404, 404, 404, 200), "POST": (302, 405, 405, 405, 405, 405)},  # /sites/reviews/documents/1/
    "sites:review_detail": {"GET": (302, 403, 200, 403, 200, 200), "POST": (302, 405, 405, 405, 405, 405)},  # /sites/reviews/2024/half/KP-61/
    "login": {"GET": (200, 302, 302, 302, 302, 302), "POST": (200, 302, 302, 302, 302, 302)},  # /login/
    "logout": {"GET": (405, 405, 405, 405, 405, 405), "POST": (302, 302, 302, 302, 302, 302)},  # /logout/
}
# fmt: on

# Tables that a GET may write to: the audit log (refusals are logged), sessions, django-axes' access log.
GET_MAY_WRITE = {"regional_securityevent", "django_session", "axes_accesslog", "axes_accessattempt"}


def _methods(route_key: str) -> tuple[str, ...]:
    return tuple(EXPECTED.get(route_key, {"GET": None, "POST": None}))


def _database_fingerprint() -> dict[str, str]:
    """A digest of every application table's rows; `last_login` aside, which the harness's own re-sign-in
    after the logout routes updates."""
    tables = sorted({model._meta.db_table for model in apps.get_models(include_auto_created=True)} - GET_MAY_WRITE)
    fingerprint = {}
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(
                "SELECT md5(coalesce(string_agg(row_digest, '' ORDER BY row_digest), '')) "
                f"FROM (SELECT md5((to_jsonb(t) - 'last_login')::text) AS row_digest FROM \"{table}\" t) AS digests"
            )
            fingerprint[table] = cursor.fetchone()[0]
    return fingerprint


@pytest.fixture
def world(
    alpha_county, beta_county, gamma_county, north_province, alice, bob, carol, dave, erin, frank, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path  # Carol's finished export is written here
    return build_world(
        alpha_county=alpha_county,
        beta_county=beta_county,
        gamma_county=gamma_county,
        north_province=north_province,
        alice=alice,
        bob=bob,
        carol=carol,
        dave=dave,
        erin=erin,
        frank=frank,
    )


@pytest.fixture
def users(alice, carol, dave, erin, frank):
    return {"alice": alice, "carol": carol, "dave": dave, "erin": erin, "frank": frank}


def test_every_route_of_the_resolver_has_a_scoping_decision_in_the_table():
    routes = {route.key for route in all_routes()}

    assert sorted(routes - set(EXPECTED)) == [], "new routes: add them to EXPECTED with every persona's status"
    assert sorted(set(EXPECTED) - routes) == [], "routes gone: remove them from EXPECTED"


def test_every_route_answers_every_persona_as_the_table_says_and_get_changes_nothing(world, users):
    clients = persona_clients(users)
    before = _database_fingerprint()
    mismatches = []
    cells = 0

    for route in all_routes():
        url = world.url(route)
        for method, expected in EXPECTED[route.key].items():
            body = request_body(route.key, world)
            actual = tuple(
                request_status(clients[persona], method, url, users.get(persona), body, rollback=method != "GET")
                for persona in PERSONAS
            )
            cells += len(PERSONAS)
            if actual != expected:
                mismatches.append(f"{method} {url} ({route.key}): expected {expected}, got {actual}")

    assert mismatches == []
    assert cells == sum(len(methods) for methods in EXPECTED.values()) * len(PERSONAS)
    # GET requests ran without rollback: not one row of application data changed
    assert _database_fingerprint() == before


@pytest.mark.parametrize("persona", ["alice", "frank"])
def test_every_unsafe_request_from_a_signed_in_browser_without_the_csrf_token_is_refused(world, users, persona):
    client = Client(enforce_csrf_checks=True)
    client.force_login(users[persona], backend="django.contrib.auth.backends.ModelBackend")
    before = _database_fingerprint()
    accepted = []

    for route in all_routes():
        if route.key in ("api:token-obtain", "api/^"):
            # No session authentication on the token endpoint (a password is the credential, not a cookie);
            # "api/^" is the router's prefix, no view: 404 before any middleware looks at the request.
            continue
        url = world.url(route)
        for method in ("POST", "PATCH"):
            status = request_status(client, method, url, users[persona], request_body(route.key, world), rollback=True)
            # A page never takes PATCH at all: 405 before the CSRF check is reached.
            is_refused_method = status == 405 and method == "PATCH" and not url.startswith("/api/")
            if status != 403 and not is_refused_method:
                accepted.append(f"{method} {url}: {status}")

    assert accepted == []
    assert _database_fingerprint() == before


OTHER_METHODS = ("PUT", "DELETE", "OPTIONS", "BREW")
# Signed out, the least and the most privileged: the method is refused whoever asks.
OTHER_METHODS_PERSONAS = ("anonymous", "alice", "frank")


def test_pages_and_the_admin_refuse_every_other_method_with_405_and_the_api_never_accepts_one(world, users):
    clients = persona_clients(users)
    before = _database_fingerprint()
    accepted = []

    for route in all_routes():
        url = world.url(route)
        is_api = url.startswith("/api/")
        for method in OTHER_METHODS:
            for persona in OTHER_METHODS_PERSONAS:
                status = request_status(clients[persona], method, url, users.get(persona), rollback=True)
                if is_api:
                    # The API decides per endpoint: DRF answers OPTIONS with the endpoint's description; any
                    # other method it does not list is refused (401 first without credentials, 404 off the map).
                    refused = status in (401, 404, 405) or (method == "OPTIONS" and status == 200)
                else:
                    refused = status == 405
                if not refused:
                    accepted.append(f"{method} {url} as {persona}: {status}")

    assert accepted == []
    assert _database_fingerprint() == before
