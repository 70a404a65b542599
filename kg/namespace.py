"""The project vocabulary as a closed rdflib namespace (mirrors ontology/kg.ttl; a test checks both ways).

>>> str(KG.implements)
'https://kg.vn-plans.org/ns#implements'
"""

from __future__ import annotations

from rdflib import Namespace
from rdflib.namespace import DefinedNamespace
from rdflib.term import URIRef

ELI = Namespace("http://data.europa.eu/eli/ontology#")


class KG(DefinedNamespace):
    """Classes, concepts and properties of `https://kg.vn-plans.org/ns#`."""

    _fail = True
    _NS = Namespace("https://kg.vn-plans.org/ns#")

    # classes and concepts
    Amended: URIRef
    Commune: URIRef
    District: URIRef
    Expired: URIRef
    InForce: URIRef
    Instrument: URIRef
    InstrumentKindScheme: URIRef
    Issuer: URIRef
    IssuerLevelScheme: URIRef
    Jurisdiction: URIRef
    LevelCommune: URIRef
    LevelDistrict: URIRef
    LevelNational: URIRef
    LevelProvince: URIRef
    Mention: URIRef
    Province: URIRef
    Repealed: URIRef
    Replaced: URIRef
    SourceDocument: URIRef
    StatusFact: URIRef
    StatusRelationScheme: URIRef
    Succeeded: URIRef
    SuccessorUnconfirmed: URIRef

    # properties
    adminCode: URIRef
    amendedBy: URIRef
    asOf: URIRef
    canonicalDate: URIRef
    canonicalIssuerName: URIRef
    canonicalTitle: URIRef
    cites: URIRef
    code: URIRef
    confidence: URIRef
    date: URIRef
    dateBasis: URIRef
    describes: URIRef
    effectiveDate: URIRef
    encoding: URIRef
    end: URIRef
    evidence: URIRef
    expiredOn: URIRef
    format: URIRef
    graphOf: URIRef
    implements: URIRef
    inFootnote: URIRef
    issuer: URIRef
    issuerBasis: URIRef
    issuerName: URIRef
    jurisdiction: URIRef
    kind: URIRef
    level: URIRef
    mentionOf: URIRef
    name: URIRef
    notBefore: URIRef
    number: URIRef
    object: URIRef
    partOf: URIRef
    recipient: URIRef
    refreshPending: URIRef
    relation: URIRef
    repealedBy: URIRef
    replacedBy: URIRef
    sha256: URIRef
    signer: URIRef
    signerPosition: URIRef
    source: URIRef
    sourceDocument: URIRef
    sourcePath: URIRef
    start: URIRef
    subject: URIRef
    succeededBy: URIRef
    successorUnconfirmed: URIRef
    surface: URIRef
    symbol: URIRef
    title: URIRef
    titleBasis: URIRef
    warning: URIRef
    writtenDate: URIRef
    writtenIssuer: URIRef
    year: URIRef
