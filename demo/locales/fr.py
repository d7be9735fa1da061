"""Français : tous les textes de la page et des messages d'erreur, avec les mêmes clés que l'anglais.

Les mots du cours : masque A / masque B, convolution masquée, bloc résiduel, température, niveaux de
gris, champ réceptif, angle mort, graine, bits par dimension (ici, une dimension = un pixel).
Les champs `{nom}` sont remplis par le code qui affiche le message : ne pas les traduire.
"""

NAME = "Français"

TEXTS = {
    # -- page : titres et notes de l'enseignant
    "title": "PixelCNN, pixel par pixel",
    "intro": (
        "Un PixelCNN dessine un vêtement de 16×16 pixels, pixel par pixel, ligne par ligne. "
        "Peignez le haut ou prenez une image de test, puis appuyez sur Générer."
    ),
    "intro_more": (
        "Un PixelCNN (van den Oord et al., 2016), entraîné ici sur FashionMNIST réduit à 16×16 pixels et 4 niveaux "
        "de gris, écrit une image comme on lit une page : chaque pixel est tiré selon 4 probabilités qui ne "
        "dépendent que des pixels qui le précèdent. Peignez les premières lignes d'un vêtement (ou partez d'une "
        "vraie image de test) et regardez le réseau le compléter ; l'onglet Masques montre comment on l'empêche "
        "de voir les pixels à venir."
    ),
    "why": "pourquoi ?",
    "tab_generate": "Générer",
    "tab_masks": "Masques",
    "present": "Mode présentation",
    "present_exit": "Quitter le mode présentation",
    "present_keys": (
        "Touches : G générer · Espace lecture ou pause · ← → un pixel en arrière ou en avant · L couche suivante"
        " · Échap quitter"
    ),
    "paint_help": (
        "Cliquez, faites glisser ou touchez pour peindre avec le gris choisi ; les touches 0 à 3 choisissent "
        "un gris, les flèches déplacent la case encadrée et la barre d'espace la peint. Ce que vous peignez est "
        "exactement ce que lit le modèle."
    ),
    "kept_help": (
        "Les lignes au-dessus du trait jaune sont gardées ; celles du dessous sont générées. Faites glisser "
        "le trait ou utilisez le curseur."
    ),
    "temperature_help": (
        "Température : plus elle est basse, plus le résultat est sûr et terne ; plus elle est haute, plus il est "
        "audacieux ; à 0, le modèle prend toujours le gris le plus probable. Comparez les barres à T avec les "
        "barres à T = 1 ci-dessous. Déplacez-la une fois un résultat affiché : toute la complétion est redessinée "
        "à chaque température, avec la même graine."
    ),
    "seed_help": "Graine : la même graine, avec le même dessin et la même température, donne la même complétion.",
    "inspect_help": (
        "Survolez, cliquez ou touchez un pixel généré (un clic le garde) : les barres sont les 4 probabilités "
        "selon lesquelles il a été tiré, à votre température et à T = 1 (ce que croit vraiment le modèle)."
    ),
    "surprise_help": (
        "La surprise vaut -log2 p(gris tiré) à T = 1, en bits : 0 signifie une certitude, 2 un tirage au hasard."
    ),
    "bits_help": (
        "Bits par pixel généré : la surprise moyenne du modèle (à T = 1) aux pixels qu'il a tirés, sachant le "
        "vêtement demandé ; les pixels que vous gardez ne comptent pas. 2 revient à tirer au hasard parmi 4 gris ; "
        "en complétant des vêtements de test à T = 1, le modèle simple obtient environ 0,4."
    ),
    "field_help": (
        "Cases colorées : les pixels que cette prédiction peut voir (son champ réceptif), plus vives là où ils "
        "pèsent davantage. Le pixel (0, 0) ne voit rien : aucun pixel ne le précède."
    ),
    "blind_spot_help": (
        "Le PixelCNN simple laisse un angle mort en haut à droite : des pixels qu'il aurait le droit de "
        "regarder, mais que ses masques empilés n'atteignent jamais. Sa portée est courte aussi : chaque "
        "couche l'étend d'un pixel, si bien qu'en bas de l'image les lignes du haut sont hors de vue."
    ),
    "branch_help": (
        "« Rééchantillonner à partir d'ici » garde tous les pixels avant le pixel inspecté et tire de nouveau "
        "celui-ci et tous les suivants, avec la graine suivante ; « Revenir au précédent » rétablit le "
        "résultat d'avant."
    ),
    "gallery_help": (
        "Quatre complétions des mêmes lignes, avec votre graine puis les trois suivantes ; choisissez-en une "
        "pour la lire."
    ),
    "masks_help_a": (
        "Masque A (première couche) : le réseau peut regarder tous les pixels des lignes au-dessus et ceux à "
        "gauche dans la ligne courante, mais pas le pixel central : c'est celui qu'il doit prédire."
    ),
    "masks_help_b": (
        "Masque B (toutes les couches suivantes) : même chose, mais le centre est permis, car après la première "
        "couche il ne porte plus que de l'information venue des pixels précédents."
    ),
    "masks_pick_help": (
        "Cliquez sur une case de l'une des images de champ réceptif (ou placez-y le focus avec Tab et utilisez "
        "les flèches) pour choisir le pixel dont le champ est affiché ; le carré rouge est ce pixel."
    ),
    "gated_help": (
        "Le PixelCNN à portes (gated) a deux piles : une pile verticale, qui regarde les lignes au-dessus, "
        "et une pile horizontale, qui regarde les pixels à gauche. Additionnées, elles ne laissent aucun trou : "
        "chaque pixel précédent compte, il n'a donc pas d'angle mort, et ses couches couvrent toute "
        "l'image 16x16."
    ),
    "mask_caption": "Masque {name} ({k}×{k})",
    "scale_low": "non vu",
    "scale_high": "influence la plus forte",
    "scale_little": "vu un peu",
    "mask_seen": "la couche lit ce pixel",
    "mask_hidden": "caché pour elle",
    # -- page : commandes
    "palette": "Gris à peindre",
    "level_0": "noir",
    "level_1": "gris foncé",
    "level_2": "gris clair",
    "level_3": "blanc",
    "undo": "Annuler le trait",
    "clear": "Tout effacer",
    "test_image": "Image de test",
    "use_test_image": "Utiliser",
    "upload": "Importer une image",
    "kept_rows": "Lignes à garder",
    "model": "Modèle",
    "garment": "Vêtement",
    "any_garment": "Indifférent",
    "temperature": "Température",
    "seed": "Graine",
    "random_seed": "Graine au hasard",
    "generate": "Générer",
    "four": "4 côte à côte",
    "play": "Lecture",
    "pause": "Pause",
    "back": "Un pixel en arrière",
    "forward": "Un pixel en avant",
    "to_end": "Aller à la fin",
    "timeline": "Ligne de temps",
    "speed": "Vitesse (pixels par seconde)",
    "resample": "Rééchantillonner à partir d'ici",
    "previous": "Revenir au précédent",
    "show_field": "Montrer ce qu'il voit",
    "live_paint": "Compléter pendant que je peins (après un premier Générer)",
    "save_png": "Enregistrer en PNG",
    "save_gif": "Enregistrer en GIF",
    "copy_link": "Copier le lien",
    "link_copied": "Lien copié : qui l'ouvre voit cette image, calculée de nouveau dans sa page, et cet onglet.",
    "link_copy_by_hand": (
        "Ce navigateur n'a pas laissé la page copier : le lien est sélectionné ci-dessous, copiez-le (Ctrl+C)."
    ),
    "link_label": "Lien vers cette image",
    "link_broken": (
        "Ce lien n'a pas pu être lu (son « {part} » est abîmé ou hors limites) : "
        "la page s'est ouverte comme d'habitude."
    ),
    "link_unreadable": (
        "Ce lien n'a pas pu être lu (trop long, ou une partie donnée deux fois) : "
        "la page s'est ouverte comme d'habitude."
    ),
    "bars_t": "à T = {temperature}",
    "whatif": "Et si la température était",
    "whatif_note": "Les barres rouges : le tirage de ce pixel à T = {temperature} ; l'image, elle, ne change pas.",
    "hole_mode": "Peindre un trou",
    "hole_mode_off": "Revenir aux lignes gardées",
    "hole_start": "Marquez les cases à remplir : cliquez une case ou tracez un rectangle, puis appuyez sur Générer.",
    "hole_help": (
        "Peindre un trou : le modèle ne remplit que les cases marquées, dans l'ordre de lecture, et garde tous les "
        "autres pixels. Pointez ensuite une case remplie : les pixels connus qui la suivent (barrés) n'ont pas servi."
    ),
    "hole_unused": (
        "{count} pixels connus après celui-ci (barrés) n'ont pas servi : le modèle lit dans l'ordre, chaque pixel est "
        "tiré des seuls pixels qui le précèdent, jamais de ceux qui sont en dessous ou à sa droite."
    ),
    "hole_blind": (
        "{count} pixels connus avant lui (cerclés de bleu) n'ont pas servi non plus : ils sont dans l'angle mort de "
        "ce modèle, en haut à droite, où ses masques empilés ne laissent rien passer (le modèle à portes n'en a pas)."
    ),
    "bars_t1": "à T = 1",
    "pixel": "Ligne {row}, colonne {col} : le modèle a choisi {level}",
    "surprise": "Surprise : {bits} bits (à T = 1)",
    "load": "Lire celle-ci",
    "pick_pixel": "Pixel à inspecter : ligne {row}, colonne {col}",
    "gallery_caption": "graine {seed}",
    "sample_option": "{index} : {garment}",
    "garments": [
        "T-shirt/haut",
        "Pantalon",
        "Pull",
        "Robe",
        "Manteau",
        "Sandale",
        "Chemise",
        "Basket",
        "Sac",
        "Bottine",
    ],  # les classes de FashionMNIST, dans l'ordre des étiquettes
    # -- page : lignes d'état
    "status_idle": "Peignez, puis appuyez sur Générer.",
    "status_stale": "Les réglages ont changé depuis ce dessin : appuyez sur Générer pour dessiner avec eux.",
    "status_preview": (
        "La complétion de votre dessin par le modèle (graine {seed}), suivie au fil du pinceau : appuyez sur "
        "Générer pour la voir se dessiner."
    ),
    "status_waiting": "Calcul de la complétion…",
    "status_no_answer": "Aucune réponse du serveur ; appuyez sur Générer pour redemander.",
    "status_playing": "{model}, graine {seed} : pixel {step} sur {steps}",
    "status_paused": "{model}, graine {seed} : en pause au pixel {step} sur {steps}",
    "status_done": "Terminé : {model}, graine {seed}, {bits} bits par pixel généré.",
    "status_playing_from": (
        "{model}, graine {seed}, nouveau tirage dès la ligne {row}, colonne {col} : pixel {step} sur {steps}"
    ),
    "status_paused_from": (
        "{model}, graine {seed}, nouveau tirage dès la ligne {row}, colonne {col} : "
        "en pause au pixel {step} sur {steps}"
    ),
    "status_done_from": (
        "Terminé : {model}, graine {seed}, {steps} pixels tirés à nouveau dès la ligne {row}, colonne {col} : "
        "{bits} bits par pixel généré."
    ),
    "hint_paint": (
        "Cliquez, touchez ou glissez sur la grille pour peindre ; 0 à 3 : un gris ; flèches et Espace : au clavier."
    ),
    "hint_inspect": "Cliquez ou touchez un pixel du résultat pour l'examiner ; choisissez un gris pour peindre dessus.",
    "status_nothing": "Toutes les lignes sont gardées : il n'y a rien à générer.",
    "source_page": "Calculé dans votre navigateur en {ms} ms : le serveur n'a pas été sollicité.",
    "source_page_thread": (
        "Calculé dans votre navigateur en {ms} ms, sur le fil de la page (pas de Web Worker ici) : le serveur n'a "
        "pas été sollicité."
    ),
    "engine_ready_thread": (
        "Le modèle tourne dans votre navigateur, sur le fil de la page (pas de Web Worker ici) : la page peut "
        "s'arrêter un instant pendant qu'il calcule. Générer ne demande rien au serveur."
    ),
    "source_server": "Calculé par le serveur.",
    "engine_loading": "Le modèle se charge dans votre navigateur ; en attendant, le serveur calcule.",
    "engine_ready": "Le modèle tourne dans votre navigateur : Générer ne demande rien au serveur.",
    "engine_failed": "Le modèle n'a pas pu être chargé dans votre navigateur : le serveur calcule.",
    "engine_off": "Le serveur calcule tout (?engine=off).",
    "engine_kind_wasm": "Moteur : WebAssembly avec instructions SIMD, compilé depuis C (demo/engine.c).",
    "engine_kind_js": "Moteur : JavaScript (demo/page/engine.js) ; ce navigateur n'exécute pas WebAssembly SIMD.",
    "test_image_note": "Image de test {index} : {garment}.",
    "upload_note": (
        "Votre image, lue telle quelle selon la règle des images d'entraînement : posée sur fond noir, passée en "
        "niveaux de gris, réduite en douceur, puis chaque quart de l'échelle des gris devient un niveau."
    ),
    "upload_framed": (
        "Fond retiré, vêtement cadré : votre photo est lue comme un vêtement clair sur fond noir, recadré et centré "
        "comme les images d'entraînement, puis selon leur règle."
    ),
    "read_as_is": "La lire telle quelle",
    "read_as_garment": "La lire comme un vêtement",
    "upload_private": "Lue sur cet appareil : votre image n'est envoyée nulle part.",
    "upload_reader_failed": (
        "Le lecteur d'images de la page n'a pas pu être chargé : "
        "vérifiez la connexion, puis choisissez de nouveau l'image."
    ),
    "upload_before": "Votre image",
    "upload_after": "Lue comme un vêtement",
    "upload_dark_note": (
        "Votre image, ramenée à une grille de 16×16 pixels en 4 gris selon la règle des images d'entraînement "
        "(posée sur fond noir, en "
        "gris, réduite en douceur, chaque quart de l'échelle des gris un niveau), est surtout claire, or les "
        "vêtements que le réseau connaît sont clairs sur fond noir : appuyez sur Inverser les gris pour la "
        "retourner (Annuler le trait l'annule)."
    ),
    "invert": "Inverser les gris",
    "inverted_note": "Gris inversés : le noir est devenu blanc, le blanc noir (Annuler le trait l'annule).",
    # -- onglet des masques : le champ couche par couche
    "layers_title": "Le champ, couche par couche",
    "layers_help": (
        "Les pixels qui peuvent atteindre la prédiction du pixel choisi après les k premières couches, calculés "
        "exactement à partir des masques : un pixel est dans le champ quand un chemin, une case de masque par "
        "couche, mène de lui au pixel choisi. Cliquez ou touchez un pixel de cette image pour le choisir (ou "
        "utilisez les flèches), déplacez le curseur des couches (ou appuyez sur L pour la couche suivante), ou "
        "appuyez sur Lecture pour ajouter une couche par seconde."
    ),
    "layers_click_help": (
        "Puis cliquez avec Maj (ou, en mode « Pourquoi ce pixel ? », cliquez ou touchez) un pixel antérieur, ou "
        "déplacez le carré en pointillés avec Maj et les flèches et appuyez sur Entrée : la page trace un chemin "
        "de lui jusqu'au pixel choisi, ou explique pourquoi il n'y en a aucun."
    ),
    "layers_model": "Modèle",
    "layers_layer": "Couches : {layer} sur {last}",
    "layers_masks": "Couche {layer} : {masks}",
    "layers_next": "Couche suivante",
    "layers_mode_pick": "Choisir le pixel",
    "layers_mode_why": "Pourquoi ce pixel ?",
    "layers_pixel": "Pixel : ligne {row}, colonne {col}",
    "layers_legend_field": "dans le champ",
    "layers_legend_new": "ajouté par cette couche",
    "layers_legend_blind": "angle mort",
    "layers_legend_vertical": "par la pile verticale (lignes du dessus)",
    "layers_legend_horizontal": "par la pile horizontale (la ligne, à gauche)",
    "layers_legend_union": "leur union : tout le champ",
    "layers_legend_chosen": "le pixel choisi",
    "layers_chain": (
        "Un chemin de {count} cases de masque, de la ligne {row}, colonne {col} au pixel choisi, une par couche :"
    ),
    "layers_chain_one": (
        "Un chemin d'une case de masque, de la ligne {row}, colonne {col} au pixel choisi, à la première couche :"
    ),
    "layers_hop": (
        "couche {layer} : {mask}, de la ligne {source_row}, colonne {source_col} à la ligne {row}, colonne {col}"
    ),
    "layers_hop_stay": "couche {layer} : {mask}, sa case centrale : reste en ligne {row}, colonne {col}",
    "layers_mask_size": "{mask} ({rows}×{cols})",
    "layers_hop_stacks": (
        "couche {layer} : {mask}, de {source_stack} en ligne {source_row}, colonne {source_col} à {stack} en ligne "
        "{row}, colonne {col}"
    ),
    "layers_stack_vertical": "la pile verticale",
    "layers_stack_horizontal": "la pile horizontale",
    "layers_stacks_note": (
        "La pile verticale, à la ligne r, ne contient que les lignes au-dessus de r (son premier masque cache sa "
        "propre ligne) : un chemin peut donc passer par elle à droite du pixel choisi, ou sur sa ligne, sans voir "
        "ces pixels."
    ),
    "layers_exact": "Exact, après la dernière couche (d'après les masques)",
    "layers_measured": "Mesuré (gradients du réseau entraîné)",
    "layers_measured_help": (
        "Un champ mesuré ne peut être que plus petit que le champ exact : un pixel dont tous les chemins passent "
        "par des activations nulles (ou dont les poids se compensent) paraît invisible, alors qu'un chemin de "
        "cases de masque l'atteint."
    ),
    "page_part_failed": "Cette partie de la page n'a pas pu être chargée ; nouvel essai automatique.",
    "field_failed": "Le champ mesuré de {model} n'a pas pu être chargé ; nouvel essai automatique.",
    "field_not_shipped": "Aucun champ mesuré n'est fourni avec {model}.",
    "layers_failed": "Le code de la vue par couches n'a pas pu être chargé ; nouvel essai automatique.",
    "layers_blind_help": (
        "Angle mort (entouré) : des pixels antérieurs, en haut à droite, qu'aucun chemin n'atteint, alors que "
        "des pixels plus haut dans la même colonne sont atteints."
    ),
    "mask_name_A": "masque A",
    "mask_name_B": "masque B",
    "mask_name_vertical_A": "masque vertical A",
    "mask_name_vertical_B": "masque vertical B",
    "mask_name_horizontal_A": "masque horizontal A",
    "mask_name_horizontal_B": "masque horizontal B",
    "why_itself": (
        "C'est le pixel choisi lui-même : le {first_mask} de la première couche cache son centre, si bien "
        "qu'une prédiction ne voit jamais son propre pixel."
    ),
    "why_after": (
        "Ce pixel vient après le pixel choisi dans l'ordre de lecture : les masques ne laissent jamais une "
        "prédiction voir un pixel tiré plus tard."
    ),
    "why_too_high": (
        "Hors de portée, trop haut : la première couche ({first_mask}) remonte de {first} lignes et chaque "
        "couche suivante ({later_mask}) d'au plus {each} de plus ; après {layers} couches, aucun chemin ne "
        "remonte de plus de {reach} lignes : rien n'est vu au-dessus de la ligne {limit}. Ce pixel est dans la "
        "ligne {source_row}."
    ),
    "why_blind_spot": (
        "Angle mort : aucun chemin n'arrive ici, alors que des pixels plus haut dans cette colonne sont "
        "atteints. La première couche ({first_mask}) porte à {first} colonnes vers la droite, mais seulement "
        "dans les lignes du dessus ; chaque couche suivante ({later_mask}) gagne au plus {each} colonne vers la "
        "droite, et seulement en remontant d'une ligne. Donc, dans la ligne {source_row}, rien n'est vu à droite de "
        "la colonne {limit} ; ce pixel est dans la colonne {source_col}."
    ),
    "why_too_right": (
        "Hors de portée, trop à droite : la première couche ({first_mask}) porte à {first} colonnes vers la "
        "droite dans les lignes du dessus et chaque couche suivante ({later_mask}) au plus {each} de plus ; "
        "après {layers} couches, dans la ligne {source_row}, rien n'est vu à droite de la colonne {limit}. "
        "Ce pixel est dans la colonne {source_col}."
    ),
    "why_too_left": (
        "Hors de portée, trop à gauche : la première couche ({first_mask}) porte à {first} colonnes vers la "
        "gauche et chaque couche suivante ({later_mask}) au plus {each} de plus ; après {layers} couches, rien "
        "n'est vu à gauche de la colonne {limit}. Ce pixel est dans la colonne {source_col}."
    ),
    "why_border": (
        "Aucun chemin n'arrive ici sans sortir de l'image 16×16, et hors de l'image le réseau n'a aucune "
        "valeur (ses convolutions complètent par des zéros)."
    ),
    # -- messages pour les erreurs de l'utilisateur (page et API)
    "bad_model": "Modèle inconnu {value} ; choisissez parmi {names}.",
    "bad_levels": "Le paramètre levels doit contenir 16 lignes de 16 entiers de 0 à 3 (0 noir … 3 blanc).",
    "bad_hole": "Le paramètre hole doit contenir 16 lignes de 16 nombres : 1 case à remplir, 0 case gardée.",
    "empty_hole": "Le trou est vide : marquez au moins une case à remplir.",
    "bad_pixels": "Le nombre de pixels à garder doit être un entier de 0 à 256, et non {value}.",
    "bad_rows": "Le nombre de lignes à garder doit être un entier de 0 à 16, et non {value}.",
    "bad_temperature": "La température doit être un nombre de 0 (choix du plus probable) à {high}, et non {value}.",
    "no_seed": "Donnez une graine (un nombre entier).",
    "bad_seed": "La graine doit être un entier de 0 à {high}, et non {value}.",
    "bad_row": "La ligne doit être un entier de 0 à 15, et non {value}.",
    "bad_column": "La colonne doit être un entier de 0 à 15, et non {value}.",
    "no_measured": (
        "Aucun champ mesuré n'est fourni avec le modèle {model} : écrivez-les avec `python -m pixelcnn.gradients`."
    ),
    "bad_layer": "La couche doit être un entier de 1 à {last}, et non {value}.",
    "bad_label": (
        "Le vêtement doit être « any » (indifférent), un numéro de classe de 0 à 9 ou l'un de ces noms : "
        "{names} ; et non {value}."
    ),
    "no_classes": (
        "Le modèle {model} ne connaît pas de classes de vêtements : laissez Vêtement sur « Indifférent » "
        "(« any » dans l'API)."
    ),
    "error_title": "Erreur",
    "warning_title": "Attention",
    "info_title": "À savoir",
    "close": "Fermer",
    "download_name": "pixelcnn-graine-{seed}",
    "gradio_footer": "Navigation du pied de page de Gradio",
    "gradio_number": "Champ numérique : {label}",
    "gradio_range": "Curseur : {label}",
    "gradio_reset": "Revenir à la valeur par défaut",
    "gradio_more_tabs": "Autres onglets",
    "body_too_big": "Cette requête dépasse {most} Ko ; celles de l'app sont bien plus petites (une grille 16x16).",
    "too_big": "Ce fichier fait {size} Mo ; les images de {most} Mo au plus sont lues.",
    "upload_too_big": "Cet envoi dépasse {most} Mo ; les images de {most} Mo au plus sont lues.",
    "upload_slow": "Cet envoi n'est pas arrivé en entier en {seconds} s : envoyez-le de nouveau.",
    "upload_files": "Un envoi peut contenir {most} fichiers au plus : envoyez une image à la fois.",
    "no_snapshots": "Aucun instantané pour le modèle {value} : choisissez parmi {names}.",
    "bad_epoch": "L'époque doit être un nombre de 0 à {high}, et non {value}.",
    "bad_call": (
        "Cet appel ne correspond pas au point d'accès ({reason}) : envoyez les arguments listés sur sa page d'API."
    ),
    "extra_arguments": (
        "Cet appel envoie {count} valeurs ; le point d'accès en prend {most} : envoyez les arguments listés sur sa "
        "page d'API."
    ),
    "file_url": "Les fichiers ne sont pas téléchargés depuis une adresse web : envoyez le fichier lui-même.",
    "file_not_uploaded": (
        "Ce fichier n'a pas été envoyé à cette application : envoyez-le d'abord (handle_file de gradio_client le fait)."
    ),
    "broken_snapshot": "L'instantané de l'époque {epoch} est illisible sur ce serveur : choisissez une autre époque.",
    "bad_request": "Cette requête n'est pas de celles qu'envoie la page : rechargez la page.",
    "no_picture": "Aucune image n'a été envoyée : choisissez un fichier PNG, JPEG, GIF, BMP, TIFF ou WebP.",
    "not_a_picture": (
        "Ce fichier n'est pas une image que cette application sait lire : envoyez un fichier PNG, JPEG, GIF, "
        "BMP, TIFF ou WebP."
    ),
    "broken_picture": (
        "Cette image est endommagée ou tronquée et ne peut pas être lue : envoyez de nouveau le fichier complet."
    ),
    "huge_picture": (
        "Cette image fait {width}×{height} pixels ; les images d'au plus {side}×{side} pixels (ou autant de "
        "pixels sous une autre forme) sont lues. Réduisez-la d'abord."
    ),
    "huge_picture_any": (
        "Cette image a plus de {limit} millions de pixels, le maximum que l'application lit. Réduisez-la d'abord."
    ),
    "costly_picture_page": (
        "Lire cette image de {width}×{height} pixels prendrait {cost} Mo de mémoire ; les images qui en prennent "
        "au plus {budget} Mo sont lues. Réduisez-la d'abord."
    ),
    "tiff_in_page": (
        "Ce navigateur ne sait pas lire les images TIFF : enregistrez-la en PNG ou en JPEG, puis importez ce fichier."
    ),
    "costly_picture": (
        "Lire cette image de {width}×{height} pixels prendrait {cost} Mo de mémoire au serveur ; les images qui en "
        "prennent au plus {budget} Mo sont lues. Réduisez-la d'abord."
    ),
    "busy": "Le serveur a beaucoup de questions en attente : redemandez dans un instant.",
    "too_many": "Requêtes de votre adresse déjà en attente : {count}. Attendez leurs réponses, puis redemandez.",
    # -- le regarder apprendre
    "tab_learning": "Apprentissage",
    "decimal_point": ",",
    "curve_epoch": "époque",
    "curve_bits": "bits par pixel (plus bas, c'est mieux)",
    "curve_test": "{model} : images de test",
    "curve_train": "{model} : images d'entraînement",
    "learning_help": (
        "Le même réseau, sauvegardé après 0, 1, 2, 5… époques d'entraînement (une époque : chaque image "
        "d'entraînement vue une fois). Les 16 images sont tirées de zéro avec les mêmes graines à chaque époque : "
        "les mêmes nombres aléatoires montrent comment chaque étape décide. L'époque 0 est le réseau non "
        "entraîné : environ 2 bits par pixel, du bruit."
    ),
    "learning_curve_help": (
        "Bits par pixel sur les images d'entraînement (tirets) et sur les images de test (trait plein), époque "
        "après époque, sur une échelle logarithmique : plus bas, c'est mieux. La ligne rouge marque l'époque "
        "affichée ; pointez une époque (touchez-la, ou utilisez les flèches) pour lire ses chiffres, cliquez-la "
        "(ou Entrée) pour l'afficher."
    ),
    "learning_model": "Modèle (choisi ici, à part du premier onglet)",
    "learning_epoch": "Époque",
    "learning_seed": "Graine de la première image",
    "learning_shown": (
        "{model}, époque {epoch} (l'instantané le plus proche) : {bits} bits par pixel sur les images de test."
    ),
    "learning_readout": (
        "{model} à l'époque {epoch} : {test} bits par pixel sur les images de test, {train} sur les images "
        "d'entraînement."
    ),
    "learning_loading": "Chargement de l'instantané de l'époque {epoch}…",
    "learning_needs_network": (
        "L'instantané de l'époque {epoch} n'est pas encore chargé et il faut le réseau, injoignable pour l'instant : "
        "il se charge tout seul dès que le réseau revient. Les époques déjà affichées marchent toujours."
    ),
    "learning_snapshot_failed": (
        "L'instantané de l'époque {epoch} n'a pas pu être chargé : la page réessaie toute seule. Les époques déjà "
        "affichées marchent toujours."
    ),
    "learning_drawing": "Dessin avec l'instantané de l'époque {epoch}…",
    "learning_grid": "Compléter ma grille avec cet instantané",
    "learning_samples_alt": (
        "Les 16 images tirées de zéro par le {model} à l'époque {epoch} de son entraînement, graines {first} à {last}."
    ),
    "learning_curve_alt": (
        "Courbes d'apprentissage des modèles : bits par pixel selon l'époque, l'époque {epoch} marquée."
    ),
    "learning_grid_caption": (
        "Votre grille complétée par le {model} à l'époque {epoch} de son entraînement (lignes gardées : {rows}, "
        "graine {seed})."
    ),
    "learning_grid_help": (
        "Votre grille du premier onglet : ses lignes gardées, complétées par le réseau tel qu'il était à cette "
        "époque (la graine ci-dessus, T = 1)."
    ),
    "learning_plain_note": (
        "Un modèle dont l'entraînement n'a gardé aucun instantané ne montre que sa courbe d'apprentissage."
    ),
    "learning_best_note": (
        "Les autres onglets utilisent chaque modèle à sa meilleure époque sur des images tenues à l'écart de "
        "l'entraînement, qui n'est pas forcément la dernière : un réseau entraîné trop longtemps finit par "
        "apprendre ses images d'entraînement par cœur."
    ),
    # -- le modèle qui triche (masque B en premier, cassé exprès)
    "leak_story": (
        "Ce modèle est cassé exprès : sa première couche utilise le masque B, il voit donc le pixel même qu'il doit "
        "prédire. À l'entraînement ce pixel est toujours là, et il apprend à le recopier : sa perte tombe à presque "
        "0 bit par pixel, sur les images d'entraînement comme sur des images qu'il n'a jamais vues (voir l'onglet "
        "de l'apprentissage). Un score parfait ? Appuyez sur Générer : en partant de rien, le pixel qu'il recopierait "
        "n'est pas encore dessiné (il est encore noir), il recopie donc du noir, et l'image reste vide : il n'a rien "
        "appris des vêtements. Appuyez maintenant sur le bouton d'à côté : les lignes cachées de l'image de test "
        "restent sous le cache, comme à l'entraînement, et le modèle les rend parfaitement, car il lit chaque "
        "réponse avant de la donner. Voilà pourquoi la première couche utilise le masque A : un modèle ne doit "
        "jamais voir le pixel qu'il prédit."
    ),
    "leak_teacher": "Comme à l'entraînement : compléter l'image de test {index} (il lit la réponse)",
    "leak_teacher_note": (
        "Comme à l'entraînement : l'image de test {index} ({garment}) reste sous le cache, et le modèle lit chaque "
        "pixel avant de le prédire. Comparez avec Générer."
    ),
    "leak_needs_engine": (
        "Cette complétion se calcule dans le moteur de la page, qui n'est pas chargé : attendez un instant, ou "
        "ouvrez la page sans ?engine=off."
    ),
    "mask_leak_caption": "Premier masque de {model} : masque {name} ({k}×{k}), son centre visible",
    "masks_help_leak": (
        "La première couche du modèle qui triche utilise le masque B : son centre (en magenta) est le pixel à "
        "prédire, visible. Son champ contient alors ce pixel lui-même dès la couche 1, et il apprend à le recopier."
    ),
    "layers_legend_leak": "le pixel lui-même, visible : une fuite",
    # -- noms des modèles
    "model_pixelcnn": "PixelCNN",
    "model_gated": "PixelCNN à portes",
    "model_leaky": "PixelCNN qui triche (masque B en premier : cassé exprès)",
    "model_short_leaky": "PixelCNN qui triche",
}
